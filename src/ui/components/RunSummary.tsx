// Under the bars once the run has ended: the counts, the verify result, that no data was copied (a
// completed run is not a completed migration, issue 9 §5) and what to do next.
import { Box, Text } from "ink";
import type { CommandLine } from "../run-view.js";
import { exitHint, overallCounts, type ProgressState } from "../state/progress.js";
import { useTone } from "../theme.js";
import { DATA_NOT_COPIED } from "../../domain/retirement.js";

const HEADLINE = { completed: "Run completed", "failed-steps": "Run finished with failed steps", interrupted: "Run interrupted" } as const;
/** Differences shown on screen; `ahds-migrate verify` lists them all. */
const SHOWN_DIFFERENCES = 3;

export function RunSummary({ run, command }: { run: ProgressState; command?: CommandLine }) {
  const tone = useTone();
  const hint = exitHint(run, command);
  if (run.phase === "broken") {
    return (
      <Box flexDirection="column">
        <Text {...tone("blocker")}>error: Can't apply {run.planId}: {run.runError}</Text>
        {hint ? <Text>{hint}</Text> : null}
      </Box>
    );
  }
  const c = overallCounts(run);
  const satisfied = run.alreadySatisfied > 0 ? ` (${run.alreadySatisfied} already satisfied)` : "";
  const headline = HEADLINE[run.outcome ?? "completed"];
  const left = c.pending > 0 ? `, ${c.pending} not started` : "";
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" {...tone(c.failed > 0 ? "blocker" : run.outcome === "completed" ? "ready" : "action")}>
        {headline}: {c.succeeded} succeeded{satisfied}, {c.failed} failed, {c.skipped} skipped{left}
      </Text>
      <VerifyLine run={run} />
      {run.outcome === "completed" && !(run.verify.state === "verified" && run.verify.differences.length > 0) ? <Text wrap="truncate" {...tone("action")}>{DATA_NOT_COPIED}</Text> : null}
      {hint ? <Text>{hint}</Text> : null}
    </Box>
  );
}

function VerifyLine({ run }: { run: ProgressState }) {
  const tone = useTone();
  const v = run.verify;
  if (v.state === "none") return null;
  if (v.state === "verifying") return <Text wrap="truncate" {...tone("accent")}>Verifying against Azure…</Text>;
  if (v.state === "failed") return <Text wrap="truncate" {...tone("blocker")}>Verify could not run: {v.message}</Text>;
  if (v.differences.length === 0) return <Text wrap="truncate" {...tone("ready")}>Verified: Azure matches the plan.</Text>;
  const more = v.differences.length - SHOWN_DIFFERENCES;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" {...tone("blocker")}>Verify found {v.differences.length} difference(s):</Text>
      {v.differences.slice(0, SHOWN_DIFFERENCES).map((d, i) => <Text key={i} wrap="truncate">  {d}</Text>)}
      {more > 0 ? <Text wrap="truncate">  … and {more} more</Text> : null}
    </Box>
  );
}
