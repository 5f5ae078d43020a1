// What an import rejected, in words (issue 11 §2/§5: "failed resources by type and reason", never silently
// dropped): the import jobs' error files read back and summarised for `sync`'s report.
import type { AzureSession } from "../azure/azure-session.js";

/**
 * The rejected resources per type and reason, read from the import jobs' error files (OperationOutcomes,
 * one a line) through @azure/storage-blob: "Observation: 2 rejected — a decimal has more than 18 digits of
 * precision (1), version conflict (1)". Reading them needs a Blob data role on the storage account; without
 * it the counts and the files' URLs are printed instead. Line numbers and ids are left out (ids may be
 * sensitive: the files themselves hold them).
 */
export async function rejectedLines(credential: AzureSession["credential"], errors: Record<string, number>, urls: readonly string[]): Promise<string[]> {
  if (Object.keys(errors).length === 0) return [];
  const { readBlobText } = await import("../azure/blob-files.js");
  const reasons = new Map<string, Map<string, number>>();
  const unread: string[] = [];
  for (const url of urls) {
    let text: string;
    try { text = await readBlobText(credential, url); } catch (e) {
      const err = e as { code?: string; statusCode?: number; message?: string };
      unread.push(`${url} (${err.code || (err.statusCode ? `HTTP ${err.statusCode}` : err.message ?? "unreadable")})`);
      continue;
    }
    const type = /\/([A-Z][A-Za-z]+)[^/]*\.ndjson$/.exec(new URL(url).pathname)?.[1] ?? "?";
    for (const line of text.split("\n").filter((l) => l.trim())) {
      let why = "unreadable line";
      try { why = ((JSON.parse(line) as { issue?: { diagnostics?: string }[] }).issue?.[0]?.diagnostics ?? why); } catch { /* counted as unreadable */ }
      why = why.replace(/, line: \d+$/, "").replace(/, resource id: [^,]+$/, "").replace(/^Failed to import resource(?: with |: )?/, "");
      const byReason = reasons.get(type) ?? new Map<string, number>();
      byReason.set(why, (byReason.get(why) ?? 0) + 1);
      reasons.set(type, byReason);
    }
  }
  const out = Object.entries(errors).map(([type, n]) => {
    const r = reasons.get(type);
    return `  ${type}: ${n} rejected${r ? ` — ${[...r].map(([why, k]) => `${why} (${k})`).join(", ")}` : ""}`;
  });
  if (unread.length > 0) out.push(`  error files not readable (a Blob data role on the storage account lets sync read them): ${unread.join(", ")}`);
  return out;
}

