// One account in full: CMK facts, findings with their fixes, source settings. Scrolls by line when it is
// taller than the terminal.
import { Box, Text } from "ink";
import type { DetailLine } from "../detail-lines.js";
import type { UiAccount } from "../inventory-view.js";
import { HelpLine } from "../components/HelpLine.js";
import { Title } from "../components/Title.js";
import { useColor, useTone } from "../theme.js";

export interface AccountDetailProps { item: UiAccount; lines: DetailLine[]; scroll: number; viewportRows: number; cloud: string }

export function AccountDetailScreen({ item, lines, scroll, viewportRows, cloud }: AccountDetailProps) {
  const tone = useTone();
  const top = Math.min(scroll, Math.max(0, lines.length - viewportRows));
  const shown = lines.slice(top, top + viewportRows);
  const more = lines.length > viewportRows ? ` · lines ${top + 1}–${top + shown.length} of ${lines.length}` : "";
  return (
    <Box flexDirection="column">
      <Title cloud={cloud} text={`account ${item.account.name}`} />
      <Text wrap="truncate">
        <Text {...tone(item.verdict)}>{item.verdict}</Text>
        <Text {...tone("muted")}>{`  ${item.findings.length} finding(s)${more}`}</Text>
      </Text>
      <Box flexDirection="column">
        {shown.map((l, i) => <Line key={top + i} line={l} />)}
      </Box>
      <HelpLine keys={[["esc", "back"], ["↑↓", "scroll"], ["q", "quit"]]} />
    </Box>
  );
}

function Line({ line }: { line: DetailLine }) {
  const color = useColor();
  const tone = useTone();
  if (line.style === "heading") return <Text bold={color} {...tone("accent")}>{line.text}</Text>;
  if (line.style === "dim") return <Text wrap="truncate" dimColor={color}>{line.text}</Text>;
  if (line.style === "text") return <Text wrap="truncate">{line.text || " "}</Text>;
  return <Text wrap="truncate" {...tone(line.style)}>{line.text}</Text>;
}
