// Finished steps, one line each, in <Static>: written once above the live area and never redrawn
// (STYLE.md "Finished work goes into <Static>").
import { Static, Text } from "ink";
import type { LogEntry } from "../state/progress.js";
import { useTone } from "../theme.js";

const MARK: Record<LogEntry["tone"], string> = { ok: "✔", failed: "✖", skipped: "-" };

export function RunLog({ log }: { log: LogEntry[] }) {
  const tone = useTone();
  return (
    <Static items={log}>
      {(e) => (
        <Text key={e.key} {...(e.tone === "failed" ? tone("blocker") : e.tone === "skipped" ? tone("muted") : {})}>
          {MARK[e.tone]} {e.text}
        </Text>
      )}
    </Static>
  );
}
