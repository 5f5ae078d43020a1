// The apply progress screen: finished steps in a <Static> log above, and live below it a bar per account,
// the overall bar with elapsed time and ETA, the limiter's request rate and 429s, pause state, and once
// the run ends its summary with the verify result and the command to run next.
import { Box, Text } from "ink";
import { AccountProgress, OverallProgress } from "../components/AccountProgress.js";
import { HelpLine } from "../components/HelpLine.js";
import { RunLog } from "../components/RunLog.js";
import { RunSummary } from "../components/RunSummary.js";
import { Title } from "../components/Title.js";
import { rate } from "../progress-format.js";
import type { CommandLine } from "../run-view.js";
import { canResume, canSync, etaMs, overallCounts, type ProgressState } from "../state/progress.js";
import { useTone } from "../theme.js";

/** Live lines that are not account rows: title, overall, rate, up to 4 of summary, help, one spare. */
export const PROGRESS_CHROME_ROWS = 9;

export interface ProgressScreenProps { run: ProgressState; rows: number; cloud: string; command?: CommandLine }

export function ProgressScreen({ run, rows, cloud, command }: ProgressScreenProps) {
  const tone = useTone();
  const c = overallCounts(run);
  const room = Math.max(1, rows - PROGRESS_CHROME_ROWS);
  // Accounts with work in flight first when they do not all fit, so what moves stays in view.
  const busy = (id: string) => run.accounts.find((a) => a.id === id)!.stepIds.some((s) => run.steps[s]!.status === "running");
  const shown = run.accounts.length <= room ? run.accounts : [...run.accounts].sort((a, b) => Number(busy(b.id)) - Number(busy(a.id))).slice(0, Math.max(1, room - 1));
  const hidden = run.accounts.length - shown.length;
  const elapsed = run.runStartedAt !== null && run.nowMs !== null ? run.nowMs - run.runStartedAt : null;
  const ended = run.phase === "finished" || run.phase === "broken";
  return (
    <>
      <RunLog log={run.log} />
      <Box flexDirection="column">
        <Title cloud={cloud} text={`apply ${run.planId}`} />
        {shown.map((a) => <AccountProgress key={a.id} run={run} account={a} />)}
        {hidden > 0 ? <Text wrap="truncate" {...tone("muted")}>… and {hidden} more account(s)</Text> : null}
        <OverallProgress finished={c.finished} total={c.total} elapsedMs={elapsed} etaMs={ended ? "ended" : etaMs(run)} />
        <Text wrap="truncate" {...tone("muted")}>
          {rate(run.stats.requestsPerSecond)} requests/s · {run.stats.throttled429} throttled (429) · {c.running} step(s) in flight
        </Text>
        {ended ? <RunSummary run={run} command={command} /> : <LiveStatus run={run} running={c.running} />}
        <HelpLine keys={helpKeys(run)} />
      </Box>
    </>
  );
}

function LiveStatus({ run, running }: { run: ProgressState; running: number }) {
  const tone = useTone();
  if (run.phase === "stopping") {
    return <Text wrap="truncate" {...tone("action")}>Stopping: no new steps start; waiting for {running} step(s) in flight to be journaled…</Text>;
  }
  if (run.paused) return <Text wrap="truncate" {...tone("action")}>Paused: no new steps start; {running} step(s) in flight finish.</Text>;
  return null;
}

function helpKeys(run: ProgressState): [string, string][] {
  if (canResume(run)) return [["r", "resume here (done steps are kept)"], ["q", "quit"]];
  if (canSync(run)) return [["s", "copy the data (sync)"], ["q", "quit"]];
  if (run.phase === "finished" || run.phase === "broken") return [["q", "quit"]];
  if (run.phase === "stopping") return [["ctrl-c", "leave now (in-flight steps are reconciled on resume)"]];
  return [["p", run.paused ? "resume" : "pause"], ["ctrl-c", "stop"]];
}
