// The FHIR data-plane clients of a plan's planned accounts (issue 11), for `sync` and `verify --data`: the
// source on its legacy host with the audience its account is configured with — read from ARM, never
// derived from the host (DATA-MIGRATION.md §4: accounts configured with another audience refuse such a
// token) — and the target on the planned FHIR URL, its own audience.
import type { AzureSession } from "../azure/azure-session.js";
import type { Plan } from "../domain/plan.js";
import { UserError } from "../domain/errors.js";
import type { SyncAccount } from "../runner/sync-run.js";

/** The legacy data-plane host zone (the US Government one is UNCONFIRMED, DATA-MIGRATION.md §4). */
const LEGACY_FHIR_ZONE = { AzureCloud: "azurehealthcareapis.com", AzureUSGovernment: "azurehealthcareapis.us" } as const;

export async function dataPlaneClients(plan: Plan, session: AzureSession, abortSignal?: AbortSignal): Promise<SyncAccount[]> {
  const { readLegacyService } = await import("../azure/read-plan-facts.js");
  const out: SyncAccount[] = [];
  for (const a of plan.accounts.filter((x) => x.status === "planned")) {
    const read = await readLegacyService(session, a.id, abortSignal);
    if (!read.ok) throw new UserError(`Can't read ${a.id} (${read.failure}): ${read.message}`, ["Check the signed-in principal's access ('ahds-migrate doctor'), then run it again."]);
    const baseUrl = `https://${a.name}.${LEGACY_FHIR_ZONE[plan.cloud]}`;
    const audience = read.value.properties?.authenticationConfiguration?.audience || baseUrl;
    out.push({
      id: a.id, name: a.name,
      source: session.fhir({ baseUrl, audience }),
      target: session.fhir({ baseUrl: a.target.fhirUrl, audience: a.target.fhirUrl }),
    });
  }
  return out;
}
