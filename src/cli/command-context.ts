// What every command gets besides its own flags: the global options resolved once, and the connection
// profile applied. A profile that is not yet in the environment makes the CLI re-run itself (profile.ts);
// the parent then only waits for the child and exits with its code.
import type { CloudName } from "../azure/cloud.js";
import type { ConnectionProfile } from "../azure/profile.js";

export interface GlobalOptions {
  debug?: boolean;
  profile?: string;
  cloud?: CloudName;
}

export interface CommandContext {
  debug: boolean;
  /** The cloud to talk to: the profile's when a profile is given (it wins over --cloud). */
  cloud: CloudName;
  profile: ConnectionProfile | undefined;
  profilePath: string | undefined;
}

export type PreparedContext = { kind: "run"; ctx: CommandContext } | { kind: "reexeced"; exitCode: number };

export async function prepareContext(g: GlobalOptions): Promise<PreparedContext> {
  const debug = g.debug === true;
  const cloud: CloudName = g.cloud ?? "AzureCloud";
  if (!g.profile) return { kind: "run", ctx: { debug, cloud, profile: undefined, profilePath: undefined } };
  const { readProfile, profileApplied, reexecWithProfile } = await import("../azure/profile.js");
  const profile = await readProfile(g.profile);
  if (!profileApplied(g.profile, profile)) return { kind: "reexeced", exitCode: await reexecWithProfile(g.profile, profile) };
  return { kind: "run", ctx: { debug, cloud: profile.cloud, profile, profilePath: g.profile } };
}
