// The account list: the retirement line (issue 9 §5), column header, the rows inside the viewport, a status line (counts, filters, sort,
// position) or the filter being typed, and the key help line.
import { Box, Text } from "ink";
import type { InventoryView } from "../inventory-view.js";
import { AccountHeader, AccountTable } from "../components/AccountTable.js";
import { HelpLine } from "../components/HelpLine.js";
import { Title } from "../components/Title.js";
import { visibleRows, type AccountListState } from "../state/account-list.js";
import { useTone } from "../theme.js";
import { RETIREMENT_NOTICE } from "../../domain/retirement.js";

// 100 columns hold no more: Esc (clear the filter) and `p` planning the cursor's account when none is
// selected are in the README, and the status line shows a filter.
export const LIST_KEYS: [string, string][] = [["↑↓", "move"], ["space", "select"], ["enter", "open"],
  ["p", "plan selected"], ["o", "plans"], ["/", "filter"], ["v", "verdict"], ["s", "sort"], ["q", "quit"]];

export function AccountListScreen({ inventory, list, width }: { inventory: InventoryView; list: AccountListState; width: number }) {
  const tone = useTone();
  const shown = visibleRows(list);
  const failed = inventory.subscriptions.filter((s) => s.error !== null).length;
  const title = `${inventory.accounts.length} Azure API for FHIR account(s) in ${inventory.subscriptions.length} subscription(s)`
    + (failed ? ` (${failed} unreadable)` : "");
  return (
    <Box flexDirection="column">
      <Title cloud={inventory.cloud} text={title} />
      <Text wrap="truncate" {...tone("action")}>{RETIREMENT_NOTICE}</Text>
      <AccountHeader width={width} />
      {list.rows.length === 0
        ? <Text {...tone("muted")}>  {inventory.accounts.length === 0 ? "No Azure API for FHIR accounts found." : "No account matches the filter."}</Text>
        : <AccountTable rows={shown} cursorId={list.rows[list.cursor]?.id} selected={list.selected} width={width} />}
      <StatusLine list={list} />
      <HelpLine keys={list.editingFilter ? [["type", "filter"], ["enter", "keep"], ["esc", "clear"]] : LIST_KEYS} />
    </Box>
  );
}

function StatusLine({ list }: { list: AccountListState }) {
  const tone = useTone();
  if (list.editingFilter) return <Text wrap="truncate">filter: {list.filterText}<Text {...tone("accent")}>▏</Text></Text>;
  const from = list.rows.length === 0 ? 0 : list.scrollTop + 1;
  const to = Math.min(list.rows.length, list.scrollTop + list.viewportRows);
  const parts = [`${from}–${to} of ${list.rows.length}`, `${list.selected.length} selected`, `verdict: ${list.verdictFilter}`,
    `sort: ${list.sort}`, ...(list.filterText ? [`filter: "${list.filterText}"`] : [])];
  return <Text wrap="truncate" {...tone("muted")}>{parts.join(" · ")}</Text>;
}
