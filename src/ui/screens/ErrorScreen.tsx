// Loading failed (sign-in refused, nothing listable): the one-line reason and what to do next.
import { Box, Text } from "ink";
import type { UiError } from "../state/ui-error.js";
import { HelpLine } from "../components/HelpLine.js";
import { Title } from "../components/Title.js";
import { useColor, useTone } from "../theme.js";

export function ErrorScreen({ error, cloud }: { error: UiError; cloud: string | undefined }) {
  const color = useColor();
  const tone = useTone();
  return (
    <Box flexDirection="column">
      <Title cloud={cloud} text="inventory" />
      <Text>
        <Text bold={color} {...tone("blocker")}>error:</Text> {error.message}
      </Text>
      {error.nextStep ? <Text>  {error.nextStep}</Text> : null}
      <HelpLine keys={[["q", "quit"]]} />
    </Box>
  );
}
