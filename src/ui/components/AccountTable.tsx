// The account rows in the viewport, one line each, cells cut to their column (never wrapped, so the
// screen height is exactly the viewport's).
import { Box, Text } from "ink";
import { fit, keyLabel } from "../format.js";
import { firstBlockingCode, type ListRow } from "../state/account-list.js";
import { useColor, useTone } from "../theme.js";

export interface Columns { mark: number; account: number; subscription: number; region: number; kind: number; key: number; verdict: number; finding: number }

const ORDER: (keyof Columns)[] = ["mark", "account", "subscription", "region", "kind", "key", "verdict", "finding"];

const AT_100: Columns = { mark: 2, account: 16, subscription: 13, region: 11, kind: 9, key: 16, verdict: 12, finding: 14 };

/** Widths that fit 100 columns; extra width goes to the columns whose values run long. */
export function columnWidths(total: number): Columns {
  const extra = Math.max(0, total - 100);
  const account = Math.floor(extra * 0.2);
  const subscription = Math.floor(extra * 0.2);
  const key = Math.floor(extra * 0.3);
  return { ...AT_100, account: AT_100.account + account, subscription: AT_100.subscription + subscription,
    key: AT_100.key + key, finding: AT_100.finding + extra - account - subscription - key };
}

function cells(c: Columns, v: Record<keyof Columns, string>): string {
  return ORDER.map((k) => fit(v[k], c[k])).join(" ");
}

export function AccountHeader({ width }: { width: number }) {
  const color = useColor();
  return (
    <Text bold={color} wrap="truncate">
      {cells(columnWidths(width), { mark: "", account: "ACCOUNT", subscription: "SUBSCRIPTION", region: "REGION",
        kind: "KIND", key: "KEY", verdict: "VERDICT", finding: "BLOCKED BY" })}
    </Text>
  );
}

export interface AccountTableProps { rows: ListRow[]; cursorId: string | undefined; selected: string[]; width: number }

export function AccountTable({ rows, cursorId, selected, width }: AccountTableProps) {
  const c = columnWidths(width);
  return (
    <Box flexDirection="column">
      {rows.map((r) => <AccountLine key={r.id} row={r} c={c} cursor={r.id === cursorId} selected={selected.includes(r.id)} />)}
    </Box>
  );
}

function AccountLine({ row, c, cursor, selected }: { row: ListRow; c: Columns; cursor: boolean; selected: boolean }) {
  const color = useColor();
  const tone = useTone();
  const a = row.item.account;
  const head = [fit(`${cursor ? "›" : " "}${selected ? "●" : " "}`, c.mark), fit(a.name, c.account),
    fit(row.subscriptionName, c.subscription), fit(a.location, c.region), fit(a.kind, c.kind), fit(keyLabel(row.item.cmk), c.key)]
    .join(" ");
  return (
    <Text inverse={color && cursor} wrap="truncate">
      {head}{" "}
      <Text {...tone(row.item.verdict)}>{fit(row.item.verdict, c.verdict)}</Text>
      {" "}{fit(firstBlockingCode(row), c.finding)}
    </Text>
  );
}
