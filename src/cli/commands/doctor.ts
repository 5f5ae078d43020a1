// `ahds-migrate doctor`: signs in, lists the subscriptions visible and prints the cloud, endpoints and
// tenant — proves the Azure path end to end (the `az account list` habit) before any real work.
import type { CommandContext } from "../command-context.js";
import { printErr, printJson, printOut } from "../output.js";

export interface DoctorOptions {
  json?: boolean;
}

export async function doctorCommand(o: DoctorOptions, ctx: CommandContext): Promise<number> {
  const { CLOUDS } = await import("../../azure/cloud.js");
  const { createAzureSession } = await import("../../azure/azure-session.js");
  const { signIn } = await import("../../azure/sign-in.js");
  const { EXTRA_CA_ENV } = await import("../../azure/extra-ca-env.js");
  const { listSubscriptions } = await import("../../azure/subscriptions.js");
  const { name: cloud, ...endpoints } = CLOUDS[ctx.cloud];
  if (!o.json) printErr(`Signing in to ${cloud}…`);
  // A session: its credential and clients share the one transport that carries the profile's (or --ca-certs) CA.
  const session = createAzureSession(ctx.cloud);
  const identity = await signIn(session.credential, ctx.cloud);
  const subscriptions = await listSubscriptions(session.credential, ctx.cloud, session.subscriptions());
  const report = {
    cloud,
    endpoints,
    credential: ctx.profile ? "EnvironmentCredential (connection profile)" : "DefaultAzureCredential",
    profile: ctx.profilePath ?? null,
    proxy: process.env.HTTPS_PROXY ?? process.env.https_proxy ?? null,
    extraCaCerts: process.env[EXTRA_CA_ENV] ?? null,
    tenantId: identity.tenantId ?? null,
    objectId: identity.objectId ?? null,
    appId: identity.appId ?? null,
    subscriptionCount: subscriptions.length,
    subscriptions,
  };
  if (o.json) {
    printJson(report);
  } else {
    printOut([
      `Cloud:          ${cloud}`,
      `ARM:            ${endpoints.arm} (scope ${endpoints.armScope})`,
      `Authority:      ${endpoints.authorityHost}`,
      `Key Vault:      *${endpoints.keyVaultSuffix}`,
      `Graph:          ${endpoints.graph}`,
      `FHIR services:  *${endpoints.fhirSuffix}`,
      `Credential:     ${report.credential}${report.profile ? ` from ${report.profile}` : ""}`,
      ...(report.proxy ? [`Proxy:          ${report.proxy}`] : []),
      ...(report.extraCaCerts ? [`Extra CA:       ${report.extraCaCerts}`] : []),
      `Tenant:         ${report.tenantId ?? "(unknown)"}`,
      `Signed in as:   object ${report.objectId ?? "(unknown)"}${report.appId ? `, app ${report.appId}` : ""}`,
      `Subscriptions:  ${subscriptions.length}`,
      ...subscriptions.map((s) => `  ${s.subscriptionId}  ${s.displayName}${s.state && s.state !== "Enabled" ? ` (${s.state})` : ""}`),
    ].join("\n"));
  }
  if (subscriptions.length === 0) {
    printErr("warning: no subscriptions are visible to this principal. Grant it Reader (or more) on the subscriptions to migrate.");
  }
  return 0;
}
