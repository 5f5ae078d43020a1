// While discovery runs: which phase it is in and how far each count has got. Small and live only; it is
// replaced by the list (or the error) when loading ends.
import { Box, Text } from "ink";
import type { LoadProgress } from "../inventory-view.js";
import { HelpLine } from "../components/HelpLine.js";
import { Title } from "../components/Title.js";
import { useTone } from "../theme.js";

const PHASES: Record<LoadProgress["phase"], string> = {
  subscriptions: "Listing subscriptions", accounts: "Listing Azure API for FHIR accounts", vaults: "Reading key vaults",
  keys: "Reading keys", permissions: "Reading your permissions", principals: "Resolving access-policy principals",
  done: "Assessing readiness",
};

export function LoadingScreen({ progress, cloud }: { progress: LoadProgress | null; cloud: string | undefined }) {
  const tone = useTone();
  const p = progress;
  return (
    <Box flexDirection="column">
      <Title cloud={cloud} text="inventory" />
      <Text {...tone("accent")}>{p ? PHASES[p.phase] : "Signing in"}…</Text>
      {p ? (
        <Box flexDirection="column" marginLeft={2}>
          <Text>Subscriptions scanned  {p.subscriptionsScanned}/{p.subscriptionsTotal}</Text>
          <Text>Accounts found         {p.accountsFound}</Text>
          <Text>Vaults read            {p.vaultsRead}/{p.vaultsTotal}</Text>
          <Text>Keys read              {p.keysRead}/{p.keysTotal}</Text>
        </Box>
      ) : null}
      <HelpLine keys={[["q", "quit"]]} />
    </Box>
  );
}
