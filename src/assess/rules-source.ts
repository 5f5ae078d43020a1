// Rules on the legacy account's own settings: state, region, kind, networking, SMART proxy, authority,
// and the two informational CMK notes (no key / data-residency application).
import { finding } from "./finding.js";
import { LOGIN_HOST, fhirRegionsOf } from "./clouds.js";
import { normalizeLocation } from "../domain/location.js";
import type { Finding } from "../domain/findings.js";
import type { RuleFamily } from "./rule-context.js";

export const sourceRules: RuleFamily = ({ account, subscriptionTenantId }, { snapshot }) => {
  const out: Finding[] = [];
  const name = account.name;
  const props = account.properties ?? {};

  const state = props.provisioningState ?? "";
  if (state.toLowerCase() !== "succeeded") {
    const shown = state || "unknown";
    out.push(finding("source-not-succeeded",
      `Account ${name} is in provisioning state ${shown}, not Succeeded.`,
      `Wait until ${name} reaches Succeeded, or repair it (Azure support for a ${shown} account) before migrating it.`));
  }

  const supported = fhirRegionsOf(snapshot, account.subscriptionId);
  if (!supported.regions.has(normalizeLocation(account.location))) {
    const said = supported.source === "arm"
      ? "ARM's provider metadata for this subscription lists no workspaces/fhirservices there"
      : "it is not in the built-in region list (ARM's provider metadata was not read)";
    out.push(finding("region-unsupported",
      `Region ${account.location} of ${name} has no Azure Health Data Services FHIR service${snapshot.cloud === "AzureUSGovernment" ? " in Azure US Government" : ""}: ${said}.`,
      `Migrate ${name} by hand to a FHIR service in a supported region; this tool keeps the account's region.`));
  }

  const kind = account.kind ?? "";
  if (kind.toLowerCase() === "fhir") {
    out.push(finding("kind-unversioned",
      `Account ${name} has kind "fhir", which names no FHIR version.`,
      `Choose fhir-R4 or fhir-Stu3 for ${name} when you plan (the FHIR service needs one).`));
  }
  if (kind.toLowerCase() === "fhir-stu3") {
    out.push(finding("kind-stu3", `Account ${name} is STU3; the FHIR service supports STU3.`));
  }

  const endpoints = Array.isArray(props.privateEndpointConnections) ? props.privateEndpointConnections.length : 0;
  if (endpoints > 0) {
    out.push(finding("private-endpoints",
      `Account ${name} has ${endpoints} private endpoint connection${endpoints === 1 ? "" : "s"}; they do not move with the data.`,
      `Recreate the private endpoint${endpoints === 1 ? "" : "s"} on the target workspace, or accept private-endpoints when you plan.`));
  }

  // A private source must not silently become a public target (issue 9 §3): publicNetworkAccess is read-only
  // on workspaces and FHIR services in 2024-03-31 (azure-facts §2.2), so a new workspace is public until a
  // private endpoint exists and public access is turned off on it (Learn "Configure Private Link for Azure
  // Health Data Services", S21). The user must accept that window.
  if (String(props.publicNetworkAccess ?? "Enabled").toLowerCase() === "disabled") {
    out.push(finding("source-private-network",
      `Account ${name} has public network access disabled${endpoints > 0 ? " (reached through private endpoints)" : ""}; the new FHIR service would be reachable from public networks until a private endpoint exists on its workspace and public access is disabled there (the API cannot create it private).`,
      `Create the workspace's private endpoint and disable its public network access right after apply and before copying data, and accept source-private-network when you plan; or keep this account until you can.`));
  }

  const auth = props.authenticationConfiguration ?? {};
  if (auth.smartProxyEnabled === true) {
    out.push(finding("smart-proxy-enabled",
      `Account ${name} has the SMART on FHIR proxy enabled; the proxy is deprecated and does not carry over.`,
      `Configure SMART on FHIR anew on the FHIR service (SMART identity providers, FHIR SMART User role), or accept smart-proxy-enabled when you plan.`));
  }

  // azure-facts §2.5: the FHIR service accepts only its own tenant's sign-in endpoint as authority.
  const own = `https://${LOGIN_HOST[snapshot.cloud]}/${subscriptionTenantId}`;
  if (auth.authority && auth.authority.replace(/\/$/, "").toLowerCase() !== own.toLowerCase()) {
    out.push(finding("custom-authority",
      `Authority ${auth.authority} of ${name} is not the sign-in endpoint of its tenant (${own}).`,
      `Move ${name}'s clients to tokens from ${own}, or accept custom-authority when you plan (the FHIR service uses ${own}).`));
  }

  const cosmos = props.cosmosDbConfiguration ?? {};
  if (!cosmos.keyVaultKeyUri) {
    out.push(finding("cmk-not-configured", `Account ${name} has no customer-managed key; the FHIR service uses Microsoft-managed keys.`));
  }
  if (cosmos.crossTenantCmkApplicationId) {
    out.push(finding("cmk-residency-app",
      `Account ${name} uses the data-residency CMK application ${cosmos.crossTenantCmkApplicationId}; the FHIR service uses its own identity instead, so it does not carry over.`));
  }
  return out;
};
