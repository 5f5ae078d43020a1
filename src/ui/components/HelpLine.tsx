// The key help line at the bottom of every screen: `key action` pairs, keys bold when colour is on.
import { Text } from "ink";
import { useColor } from "../theme.js";

export function HelpLine({ keys }: { keys: [string, string][] }) {
  const color = useColor();
  return (
    <Text wrap="truncate">
      {keys.map(([k, what], i) => (
        <Text key={k}>
          {i > 0 ? "  " : ""}
          <Text bold={color}>{k}</Text> {what}
        </Text>
      ))}
    </Text>
  );
}
