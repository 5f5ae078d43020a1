import { describe, expect, it } from "vitest";
import type { DiscoveryProgress } from "../../inventory/progress.js";
import { createProgressLine, progressText } from "./inventory-progress.js";

const p = (over: Partial<DiscoveryProgress> = {}): DiscoveryProgress => ({ phase: "keys", subscriptionsTotal: 3, subscriptionsScanned: 3,
  accountsFound: 17, vaultsTotal: 5, vaultsRead: 4, keysTotal: 9, keysRead: 6, ...over });

function fakeStream(isTTY: boolean, columns = 200): NodeJS.WriteStream & { written: string } {
  const s = { isTTY, columns, written: "", write(chunk: string) { s.written += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { written: string };
}

describe("inventory progress", () => {
  it("names subscriptions scanned, accounts, vaults and keys read", () => {
    expect(progressText(p())).toBe("Reading Azure: 3/3 subscriptions scanned, 17 accounts, 4/5 vaults read, 6/9 keys read");
    expect(progressText(p({ phase: "subscriptions", subscriptionsScanned: 1, accountsFound: 0, vaultsTotal: 0, keysTotal: 0 })))
      .toBe("Reading Azure: 1/3 subscriptions scanned, 0 accounts");
  });

  it("rewrites one line in place on a TTY and clears it at the end", () => {
    const s = fakeStream(true);
    const line = createProgressLine(s, { minIntervalMs: 0 });
    line.update(p({ keysRead: 1 }));
    line.update(p({ keysRead: 1 }));
    line.update(p({ keysRead: 2 }));
    line.done();
    expect(s.written).toBe(`\r\u001b[2K${progressText(p({ keysRead: 1 }))}\r\u001b[2K${progressText(p({ keysRead: 2 }))}\r\u001b[2K`);
    expect(s.written).not.toContain("\n");
  });

  it("redraws at most once per interval of the injected clock", () => {
    const s = fakeStream(true);
    let t = 1000;
    const line = createProgressLine(s, { minIntervalMs: 100, now: () => t });
    line.update(p({ keysRead: 1 }));
    t += 99;
    line.update(p({ keysRead: 2 }));
    t += 1;
    line.update(p({ keysRead: 3 }));
    expect(s.written).toBe(`\r\u001b[2K${progressText(p({ keysRead: 1 }))}\r\u001b[2K${progressText(p({ keysRead: 3 }))}`);
  });

  it("fits the terminal width", () => {
    const s = fakeStream(true, 30);
    createProgressLine(s).update(p());
    expect(s.written).toBe(`\r\u001b[2K${progressText(p()).slice(0, 29)}`);
  });

  it("writes nothing when the stream is not a TTY", () => {
    const s = fakeStream(false);
    const line = createProgressLine(s);
    line.update(p());
    line.done();
    expect(s.written).toBe("");
  });
});
