// The first line of every screen: the tool, the cloud and what is shown.
import { Text } from "ink";
import { useColor, useTone } from "../theme.js";

export function Title({ cloud, text }: { cloud: string | undefined; text: string }) {
  const color = useColor();
  const tone = useTone();
  return (
    <Text wrap="truncate">
      <Text bold={color} {...tone("accent")}>ahds-migrate</Text>
      {cloud ? ` · ${cloud}` : ""} · {text}
    </Text>
  );
}
