// One account's line on the progress screen: name, bar, finished/total and what it is doing now; and
// the overall line under them (same columns) with elapsed time and ETA.
import { Text } from "ink";
import { fit } from "../format.js";
import { bar, clockTime } from "../progress-format.js";
import { accountCounts, type ProgressAccount, type ProgressState } from "../state/progress.js";
import { useColor, useTone } from "../theme.js";

const NAME = 18;
const BAR = 30;
const COUNT = 8;

export function AccountProgress({ run, account }: { run: ProgressState; account: ProgressAccount }) {
  const tone = useTone();
  const c = accountCounts(run, account);
  const current = account.stepIds.map((id) => run.steps[id]!).find((x) => x.status === "running");
  const state = c.failed > 0 ? `✖ ${c.failed} failed` : current ? `▸ ${current.noun}` : c.finished === c.total ? "done" : "";
  return (
    <Text wrap="truncate">
      {fit(account.name, NAME)} {bar(c.finished, c.total, BAR)} {fit(`${c.finished}/${c.total}`, COUNT)}
      <Text {...(c.failed > 0 ? tone("blocker") : {})}>{state}</Text>
    </Text>
  );
}

export interface OverallProgressProps {
  finished: number; total: number; elapsedMs: number | null;
  /** Null while there is no basis yet ("ETA —"); "ended" once the run is over (no ETA at all). */
  etaMs: number | null | "ended";
}

export function OverallProgress({ finished, total, elapsedMs, etaMs }: OverallProgressProps) {
  const color = useColor();
  const times = [elapsedMs === null ? null : `elapsed ${clockTime(elapsedMs)}`, finished === total || etaMs === "ended" ? null : `ETA ${etaMs === null ? "—" : clockTime(etaMs)}`]
    .filter((x) => x !== null).join(" · ");
  return (
    <Text wrap="truncate" bold={color}>
      {fit("overall", NAME)} {bar(finished, total, BAR)} {fit(`${finished}/${total}`, COUNT)}{times}
    </Text>
  );
}
