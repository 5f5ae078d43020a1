// The plans screen (`o` on the account list): every ./plans/*.plan.json with its planId, when it was made,
// how many accounts it plans and what its journal says (not started / finished / interrupted / failed
// steps / in doubt); Enter opens one in the plan review, where `a` applies it and resumes its journal, and
// `s` opens the sync screen of an applied one (its data copied in rounds).
import { Box, Text } from "ink";
import { fit } from "../format.js";
import { HelpLine } from "../components/HelpLine.js";
import { Title } from "../components/Title.js";
import type { PlanListing } from "../plans-view.js";
import { runStateText, type PlansListState } from "../state/plans-list.js";
import { useColor, useTone } from "../theme.js";

export const PLANS_KEYS: [string, string][] = [["↑↓", "move"], ["enter", "open (a there applies or resumes)"], ["s", "sync its data"], ["esc", "back"], ["q", "quit"]];

const W = { mark: 1, file: 24, planId: 18, created: 16, accounts: 8 };

export function PlansScreen({ plans, cloud, width }: { plans: PlansListState; cloud: string; width: number }) {
  const color = useColor();
  const tone = useTone();
  if (plans.phase !== "ready") {
    return (
      <Box flexDirection="column">
        <Title cloud={cloud} text="plans" />
        {plans.phase === "listing"
          ? <Text {...tone("accent")}>Reading ./plans…</Text>
          : <Text wrap="truncate"><Text bold={color} {...tone("blocker")}>error:</Text> Can't list ./plans: {plans.message}</Text>}
        <HelpLine keys={[["esc", "back"], ["q", "quit"]]} />
      </Box>
    );
  }
  const shown = plans.plans.slice(plans.scrollTop, plans.scrollTop + plans.viewportRows);
  return (
    <Box flexDirection="column">
      <Title cloud={cloud} text={`${plans.plans.length} plan file(s) in ./plans`} />
      <Text bold={color} wrap="truncate">{header()}</Text>
      {plans.plans.length === 0
        ? <Text {...tone("muted")}>  No plan files yet: press Esc, plan accounts with p, then export with e.</Text>
        : shown.map((p, i) => <PlanRow key={p.path} p={p} cursor={plans.scrollTop + i === plans.cursor} width={width} />)}
      <Status plans={plans} />
      <HelpLine keys={PLANS_KEYS} />
    </Box>
  );
}

function header(): string {
  return [fit("", W.mark), fit("FILE", W.file), fit("PLAN", W.planId), fit("CREATED (UTC)", W.created), fit("ACCOUNTS", W.accounts), "JOURNAL"].join(" ");
}

function PlanRow({ p, cursor, width }: { p: PlanListing; cursor: boolean; width: number }) {
  const color = useColor();
  const tone = useTone();
  const file = p.path.split(/[\\/]/).at(-1)!;
  const head = [fit(cursor ? "›" : " ", W.mark), fit(file, W.file)].join(" ");
  if (p.error !== null) {
    return <Text inverse={color && cursor} wrap="truncate">{head} <Text {...tone("blocker")}>{fit(`can't load: ${p.error}`, Math.max(1, width - head.length - 2))}</Text></Text>;
  }
  const created = p.createdAt ? p.createdAt.slice(0, 16).replace("T", " ") : "";
  return (
    <Text inverse={color && cursor} wrap="truncate">
      {head} {fit(p.planId ?? "", W.planId)} {fit(created, W.created)} {fit(String(p.plannedAccounts), W.accounts)}{" "}
      <Text {...tone(p.state === "finished" ? "ready" : p.state === "not-started" ? "muted" : "needs-action")}>{runStateText(p)}</Text>
    </Text>
  );
}

function Status({ plans }: { plans: Extract<PlansListState, { phase: "ready" }> }) {
  const tone = useTone();
  if (plans.opening) return <Text wrap="truncate" {...tone("accent")}>Opening {plans.opening.path}…</Text>;
  if (plans.openError) return <Text wrap="truncate" {...tone("blocker")}>error: Can't open {plans.openError.path}: {plans.openError.message}</Text>;
  const n = plans.plans.length;
  return <Text wrap="truncate" {...tone("muted")}>{n === 0 ? "0 of 0" : `${plans.cursor + 1} of ${n}`}</Text>;
}
