// Subscriptions visible to the signed-in principal (`GET {arm}/subscriptions`, SDK-RECIPE §5).
import type { TokenCredential } from "@azure/identity";
import { createSubscriptionClient } from "./clients.js";
import type { CloudName } from "./cloud.js";
import { toDomainError } from "./errors.js";

export interface SubscriptionSummary {
  subscriptionId: string;
  displayName: string;
  tenantId: string | undefined;
  state: string | undefined;
}

export async function listSubscriptions(credential: TokenCredential, cloud: CloudName): Promise<SubscriptionSummary[]> {
  const client = createSubscriptionClient(credential, cloud);
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
