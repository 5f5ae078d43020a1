// What every command gets besides its own flags: the global options resolved once, and the connection
// profile (or --ca-certs) applied to THIS process before any SDK client exists (profile.ts applyProfile).
// There is no child process: killing the process the user started stops all work (README "One process").
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { CloudName } from "../azure/cloud.js";
import type { ConnectionProfile } from "../azure/profile.js";
import { EXTRA_CA_ENV } from "../azure/extra-ca-env.js";
import { UserError } from "../domain/errors.js";

export interface GlobalOptions {
  debug?: boolean;
  profile?: string;
  cloud?: CloudName;
  /** --ca-certs / AHDS_MIGRATE_CA_CERTS: a PEM file of CAs to trust (a TLS-inspecting proxy's). */
  caCerts?: string;
}

export interface CommandContext {
  debug: boolean;
  /** The cloud to talk to: the profile's when a profile is given (it wins over --cloud). */
  cloud: CloudName;
  profile: ConnectionProfile | undefined;
  profilePath: string | undefined;
}

export async function prepareContext(g: GlobalOptions): Promise<CommandContext> {
  const debug = g.debug === true;
  const cloud: CloudName = g.cloud ?? "AzureCloud";
  if (g.caCerts) useExtraCaCerts(g.caCerts);
  if (!g.profile) return { debug, cloud, profile: undefined, profilePath: undefined };
  const { readProfile, applyProfile } = await import("../azure/profile.js");
  const profile = await readProfile(g.profile);
  applyProfile(profile);
  return { debug, cloud: profile.cloud, profile, profilePath: g.profile };
}

/** Trust the CAs of `file` besides the system's, in this process (http-client.ts reads EXTRA_CA_ENV). */
export function useExtraCaCerts(file: string): void {
  const abs = resolve(file);
  if (!existsSync(abs)) {
    throw new UserError(`Can't read the CA file ${file} (--ca-certs / ${EXTRA_CA_ENV}): it does not exist.`,
      ["Name a PEM file with the certificates of your TLS-inspecting proxy's CA, or drop --ca-certs."]);
  }
  process.env[EXTRA_CA_ENV] = abs;
}
