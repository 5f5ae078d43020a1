// Subscriptions of the signed-in tenant (`GET {arm}/subscriptions`, SDK-RECIPE §5), and that tenant itself
// from the ARM token's `tid` claim: ARM lists the subscriptions of the token's tenant only, and the
// inventory reports only those (FINDINGS.md "Principals' tenants").
import type { SubscriptionFacts } from "../domain/snapshot.js";
import { failed, type ReadResult } from "./read-failure.js";
import type { ReadSession } from "./read-session.js";
import { signIn } from "./sign-in.js";

export interface TenantSubscriptions {
  tenantId: string;
  subscriptions: Omit<SubscriptionFacts, "error">[];
}

/** Throws a domain error when sign-in fails (nothing can be read then); a failed listing is data. */
export async function listSubscriptions(session: ReadSession, abortSignal?: AbortSignal): Promise<ReadResult<TenantSubscriptions>> {
  // The token's tenant and the listing at once: both need the same ARM token, which the credential caches.
  const [who, listing] = await Promise.all([
    signIn(session.credential, session.cloud),
    (async () => {
      const all: { subscriptionId?: string; displayName?: string; tenantId?: string }[] = [];
      for await (const page of session.subscriptions().subscriptions.list({ abortSignal }).byPage()) all.push(...page);
      return all;
    })().then((value) => ({ ok: true as const, value }), (err: unknown) => failed<never>(err)),
  ]);
  if (!listing.ok) return listing;
  const tenantId = who.tenantId ?? "";
  const subscriptions: TenantSubscriptions["subscriptions"] = [];
  for (const s of listing.value) {
    // Only the signed-in tenant: a token of one tenant lists that tenant's subscriptions, but say so.
    if (tenantId && s.tenantId && s.tenantId.toLowerCase() !== tenantId.toLowerCase()) continue;
    subscriptions.push({ subscriptionId: s.subscriptionId ?? "", displayName: s.displayName ?? "", tenantId: s.tenantId ?? tenantId });
  }
  return { ok: true, value: { tenantId, subscriptions } };
}
