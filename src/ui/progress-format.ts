// Text helpers of the progress screen: bars and durations, plain characters so frames read the same
// without colour.

/** `width` cells, the finished share filled (rounded down, so a bar is full only when all is done). */
export function bar(done: number, total: number, width: number): string {
  if (width <= 0) return "";
  const filled = total <= 0 ? width : Math.min(width, Math.floor((done / total) * width));
  return "█".repeat(filled) + "░".repeat(width - filled);
}

/** 0:07, 12:30, 1:02:03 (seconds rounded up, so a little time left never reads as 0:00). */
export function clockTime(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** 0.4, 2.5, 12 requests per second: one decimal below 10. */
export function rate(perSecond: number): string {
  return perSecond < 10 ? perSecond.toFixed(1) : String(Math.round(perSecond));
}
