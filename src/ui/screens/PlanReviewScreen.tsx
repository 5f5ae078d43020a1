// The plan review: while makePlan runs a "Planning…" line, if it fails the one-line reason, else the
// plan's summary, its lines inside the viewport (scrolled by the reducer), the export status and the keys.
import { Box, Text } from "ink";
import type { DetailLine } from "../detail-lines.js";
import { HelpLine } from "../components/HelpLine.js";
import { Title } from "../components/Title.js";
import { planSummary } from "../plan-lines.js";
import { applyStatusLine, exportStatusLine, type PlanReviewState } from "../state/plan-review.js";
import { useColor, useTone } from "../theme.js";

export const PLAN_KEYS: [string, string][] = [["esc", "back"], ["↑↓ PgUp PgDn Home End", "scroll"], ["d", "data-copy store"], ["e", "export to ./plans"], ["a", "apply"], ["q", "quit"]];
/** A plan opened from its file: it is exported already, and `a` resumes its journal. */
export const PLAN_FILE_KEYS: [string, string][] = [["esc", "back to plans"], ["↑↓ PgUp PgDn Home End", "scroll"], ["a", "apply (resumes)"], ["q", "quit"]];

export interface PlanReviewProps { review: PlanReviewState; lines: DetailLine[]; viewportRows: number; cloud: string }

export function PlanReviewScreen({ review, lines, viewportRows, cloud }: PlanReviewProps) {
  const color = useColor();
  const tone = useTone();
  const count = `${review.accountIds.length} account(s)`;
  if (review.phase === "planning") {
    return (
      <Box flexDirection="column">
        <Title cloud={cloud} text="plan" />
        <Text {...tone("accent")}>Planning {count}…</Text>
        <HelpLine keys={[["esc", "back"], ["q", "quit"]]} />
      </Box>
    );
  }
  if (review.phase === "failed") {
    return (
      <Box flexDirection="column">
        <Title cloud={cloud} text="plan" />
        <Text wrap="truncate"><Text bold={color} {...tone("blocker")}>error:</Text> Can't plan {count}: {review.error.message}</Text>
        {review.error.nextStep ? <Text wrap="truncate">  {review.error.nextStep}</Text> : null}
        <HelpLine keys={[["esc", "back"], ["q", "quit"]]} />
      </Box>
    );
  }
  const top = Math.min(review.scroll, Math.max(0, lines.length - viewportRows));
  const shown = lines.slice(top, top + viewportRows);
  const more = lines.length > viewportRows ? ` · lines ${top + 1}–${top + shown.length} of ${lines.length}` : "";
  const status = applyStatusLine(review) ?? exportStatusLine(review.exportStatus);
  return (
    <Box flexDirection="column">
      <Title cloud={cloud} text={`plan ${review.plan.planId || "(not sealed)"}`} />
      <Text wrap="truncate" {...tone("muted")}>{planSummary(review.plan)}{more}</Text>
      <Box flexDirection="column">
        {shown.map((l, i) => <Line key={top + i} line={l} />)}
      </Box>
      {status === null
        ? <Text wrap="truncate" {...tone("muted")}>{`e writes ./plans/<date>-<n>.plan.json and its .plan.md · ${dataCopyText(review.storageAccount)}`}</Text>
        : <Text wrap="truncate" {...tone(review.exportStatus.state === "failed" && review.apply === "idle" ? "blocker" : "accent")}>{status}</Text>}
      <HelpLine keys={review.file ? PLAN_FILE_KEYS : PLAN_KEYS} />
    </Box>
  );
}

/** Which storage account the data copy (`sync`) goes through, as the status line says it. */
function dataCopyText(storageAccount: string | null): string {
  return storageAccount === null ? "data copy: none (d picks a storage account)" : `data copy via ${storageAccount.split("/").pop()} (d changes)`;
}

function Line({ line }: { line: DetailLine }) {
  const color = useColor();
  const tone = useTone();
  if (line.style === "heading") return <Text bold={color} wrap="truncate" {...tone("accent")}>{line.text}</Text>;
  if (line.style === "dim") return <Text wrap="truncate" dimColor={color}>{line.text}</Text>;
  if (line.style === "text") return <Text wrap="truncate">{line.text || " "}</Text>;
  return <Text wrap="truncate" {...tone(line.style)}>{line.text}</Text>;
}
