// The sync screen (`s` on the plans screen): finished, failed and blocked rounds in a <Static> log above;
// live below it a line per account (round, what it is doing, watermark and its age, when the next round
// starts), the resources per type exported / imported / rejected over the whole journal, pause state, and
// once the run ends what to do next (the same command resumes; `sync --final` cuts over).
import { Box, Text } from "ink";
import { fit } from "../format.js";
import { HelpLine } from "../components/HelpLine.js";
import { RunLog } from "../components/RunLog.js";
import { Title } from "../components/Title.js";
import { clockTime } from "../progress-format.js";
import { bareSyncCommand } from "../sync-view.js";
import { nextRoundInMs, watermarkAgeMs, type SyncAccountProgress, type SyncProgressState } from "../state/sync-progress.js";
import { useColor, useTone } from "../theme.js";

/** Live lines that are neither account nor type rows: title, two headers, status (up to 2), help, one spare. */
export const SYNC_CHROME_ROWS = 7;

const W = { name: 18, round: 6, now: 30, watermark: 30, count: 10 };

export interface SyncScreenProps { sync: SyncProgressState; rows: number; cloud: string; command?: (planPath: string) => string }

export function SyncScreen({ sync, rows, cloud, command = bareSyncCommand }: SyncScreenProps) {
  const color = useColor();
  const tone = useTone();
  const room = Math.max(2, rows - SYNC_CHROME_ROWS);
  // Accounts first (at most half the room when types need it too), types in the rest.
  const typeNames = Object.keys(sync.types).sort();
  const accountRows = Math.min(sync.accounts.length, Math.max(1, typeNames.length > 0 ? Math.ceil(room / 2) : room));
  const typeRows = Math.max(0, room - accountRows);
  const accounts = fitted(sync.accounts, accountRows);
  const types = fitted(typeNames, typeRows);
  return (
    <>
      <RunLog log={sync.log} />
      <Box flexDirection="column">
        <Title cloud={cloud} text={`sync ${sync.planId}`} />
        <Text bold={color} wrap="truncate">
          {[fit("ACCOUNT", W.name), fit("ROUND", W.round), fit("NOW", W.now), fit("WATERMARK (AGE)", W.watermark), "NEXT ROUND"].join(" ")}
        </Text>
        {accounts.shown.map((a) => <AccountLine key={a.id} sync={sync} a={a} />)}
        {accounts.hidden > 0 ? <Text wrap="truncate" {...tone("muted")}>… and {accounts.hidden} more account(s)</Text> : null}
        <Text bold={color} wrap="truncate">{[fit("TYPE", W.name), right("EXPORTED"), right("IMPORTED"), right("REJECTED")].join(" ")}</Text>
        {typeNames.length === 0 ? <Text wrap="truncate" {...tone("muted")}>  nothing exported yet</Text> : null}
        {types.shown.map((t) => {
          const c = sync.types[t]!;
          return (
            <Text key={t} wrap="truncate">
              {fit(t, W.name)} {right(c.exported)} {right(c.imported)}{" "}
              <Text {...(c.rejected > 0 ? tone("blocker") : {})}>{right(c.rejected)}</Text>
            </Text>
          );
        })}
        {types.hidden > 0 ? <Text wrap="truncate" {...tone("muted")}>… and {types.hidden} more type(s)</Text> : null}
        <Status sync={sync} command={command} />
        <HelpLine keys={syncHelpKeys(sync)} />
      </Box>
    </>
  );
}

/** A count column, right-aligned. */
const right = (x: number | string) => String(x).padStart(W.count);

/** The first `rows` items, the last row saying how many more when they do not all fit. */
function fitted<T>(items: readonly T[], rows: number): { shown: readonly T[]; hidden: number } {
  if (items.length <= rows) return { shown: items, hidden: 0 };
  const shown = items.slice(0, Math.max(0, rows - 1));
  return { shown, hidden: items.length - shown.length };
}

const STAGE: Record<SyncAccountProgress["stage"], string> = {
  waiting: "waiting", exporting: "exporting from the source", importing: "importing", committed: "committed", blocked: "BLOCKED",
};

function AccountLine({ sync, a }: { sync: SyncProgressState; a: SyncAccountProgress }) {
  const tone = useTone();
  const now = a.stage === "importing" ? `importing: ${a.jobs.finished}/${a.jobs.planned} job(s) done`
    : a.stage === "blocked" ? `BLOCKED: ${a.blocked ?? ""}` : STAGE[a.stage];
  const age = watermarkAgeMs(sync, a);
  const watermark = a.watermark === null ? "none yet" : `${a.watermark.slice(0, 19).replace("T", " ")}Z (${clockTime(age ?? 0)})`;
  const next = nextRoundInMs(sync, a);
  return (
    <Text wrap="truncate">
      {fit(a.name, W.name)} {fit(a.round === 0 ? "—" : String(a.round), W.round)}{" "}
      <Text {...(a.stage === "blocked" ? tone("blocker") : {})}>{fit(now, W.now)}</Text> {fit(watermark, W.watermark)}{" "}
      {next === null ? "—" : `in ${clockTime(next)}`}
    </Text>
  );
}

function Status({ sync, command }: { sync: SyncProgressState; command: (planPath: string) => string }) {
  const tone = useTone();
  // Wrapped, not cut: it names the command to run next, with the profile (up to two lines are budgeted).
  const line = (t: Parameters<typeof tone>[0], text: string) => <Text wrap="wrap" {...tone(t)}>{text}</Text>;
  const n = sync.accounts.length;
  switch (sync.phase) {
    case "confirming":
      return line("action", `Copy the data of ${n} account(s) into their new FHIR services, in rounds until you stop? y/n`);
    case "broken": return line("blocker", `error: ${sync.runError ?? ""} — fix the cause, then press r (or run: ${command(sync.planPath)})`);
    case "stopping": return line("action", "Stopping after the request in flight; the journal keeps every round where it is…");
    case "finished": {
      if (sync.outcome === "interrupted") return line("muted", `Stopped. The next run continues where this one left: r here, or ${command(sync.planPath)}`);
      if (sync.outcome === "blocked") return line("blocker", `A round is blocked (see above): fix the cause, then press r (or run: ${command(sync.planPath)})`);
      return line("ready", `Caught up. Cut over when the writers are stopped: ${command(sync.planPath)} --final`);
    }
    case "running":
      if (!sync.started) return line("accent", "Checking the plan against Azure and taking its lock…");
      if (sync.paused) return line("action", "Paused: no new round, export or import starts; jobs in flight are polled to their end.");
      return line("muted", `A round every ${clockTime(sync.roundIntervalMs ?? 0)} · cut over: ${command(sync.planPath)} --final`);
  }
}

export function syncHelpKeys(sync: SyncProgressState): [string, string][] {
  switch (sync.phase) {
    case "confirming": return [["y", "start"], ["n", "back"], ["q", "quit"]];
    case "running": return [["p", sync.paused ? "resume" : "pause"], ["ctrl-c", "stop"]];
    case "stopping": return [["ctrl-c", "leave now (the journal is kept; the next run reconciles)"]];
    case "finished": case "broken": return [["r", "sync again (continues the journal)"], ["esc", "back"], ["q", "quit"]];
  }
}
