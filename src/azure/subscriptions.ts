// Subscriptions visible to the signed-in principal (`GET {arm}/subscriptions`, SDK-RECIPE §5).
import type { TokenCredential } from "@azure/identity";
import type { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { createSubscriptionClient } from "./clients.js";
import type { CloudName } from "./cloud.js";
import { toDomainError } from "./errors.js";

export interface SubscriptionSummary {
  subscriptionId: string;
  displayName: string;
  tenantId: string | undefined;
  state: string | undefined;
}

/** `client`: a session's (azure-session.ts), so the listing uses the session's one transport and its CA. */
export async function listSubscriptions(credential: TokenCredential, cloud: CloudName,
  client: SubscriptionClient = createSubscriptionClient(credential, cloud)): Promise<SubscriptionSummary[]> {
  const out: SubscriptionSummary[] = [];
  try {
    for await (const s of client.subscriptions.list()) {
      out.push({ subscriptionId: s.subscriptionId ?? "", displayName: s.displayName ?? "", tenantId: s.tenantId, state: s.state });
    }
  } catch (err) {
    throw toDomainError(err, "the subscription list");
  }
  return out;
}
