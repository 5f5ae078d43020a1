// Runs the sandbox in this process until SIGINT/SIGTERM/SIGHUP: start, write the connection profile once
// it listens (atomically, by writeProfile), tell the user how to use it, then close cleanly on a signal.
// Exit code: 130 after Ctrl-C (SIGINT, "interrupted" in DESIGN.md), 0 after SIGTERM/SIGHUP (asked to stop).
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UserError } from "../domain/errors.js";
import type { Estate } from "../sandbox/estate-types.js";
import { printErr } from "./output.js";

export interface SandboxForegroundOptions {
  estate: Estate | undefined;
  statePath: string | undefined;
  caDir: string;
  port: number | undefined;
  profileOut: string;
  /** Extra lines printed after the standard "listening" block. */
  usage?: (profilePath: string) => string[];
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

export async function runSandboxInForeground(o: SandboxForegroundOptions): Promise<number> {
  // Listen for signals before starting, so a Ctrl-C during start-up still closes cleanly. A repeated
  // signal (a terminal's Ctrl-C reaches a re-executing parent and this child) is ignored once stopping.
  let onStop: (s: StopSignal) => void = () => undefined;
  const stopped = new Promise<StopSignal>((res) => { onStop = res; });
  const handlers = STOP_SIGNALS.map((s) => [s, () => onStop(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    const { startSandbox, writeProfile } = await import("../sandbox/server.js");
    const sandbox = await startSandbox({
      ...(o.estate ? { estate: o.estate } : {}),
      ...(o.statePath ? { statePath: o.statePath } : {}),
      caDir: o.caDir,
      ...(o.port !== undefined ? { port: o.port } : {}),
    }).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
        throw new UserError(`Can't listen on 127.0.0.1:${o.port}: the port is in use.`, ["Choose another --port, or leave it out to use any free port."]);
      }
      throw err;
    });
    let signal: StopSignal;
    try {
      for (const w of sandbox.warnings) printErr(`warning: ${w}`);
      const profile = sandbox.profile();
      await mkdir(dirname(resolve(o.profileOut)), { recursive: true });
      writeProfile(o.profileOut, profile);
      const profilePath = resolve(o.profileOut);
      printErr([
        `Sandbox (${profile.cloud}) listening on ${profile.proxyUrl}`,
        `  profile: ${profilePath}`,
        `  CA:      ${profile.caCertPath}`,
        `  admin:   ${profile.adminUrl}/_sandbox/requests  (also /_sandbox/resources, /_sandbox/keys)`,
        ...(o.statePath ? [`  state:   ${resolve(o.statePath)}`] : []),
        "",
        "Use it:",
        `  ahds-migrate doctor --profile ${shellQuote(profilePath)}`,
        `  AHDS_MIGRATE_PROFILE=${shellQuote(profilePath)} ahds-migrate doctor --json`,
        "Any Node program using the Azure SDKs (DefaultAzureCredential) reaches it with this environment:",
        `  export HTTPS_PROXY=${profile.proxyUrl} NODE_EXTRA_CA_CERTS=${shellQuote(profile.caCertPath)}`,
        `  export AZURE_TENANT_ID=${profile.tenantId} AZURE_CLIENT_ID=${profile.clientId} AZURE_TOKEN_CREDENTIALS=EnvironmentCredential`,
        `  export AZURE_CLIENT_SECRET="$(node -p 'require(process.argv[1]).clientSecret' ${shellQuote(profilePath)})"`,
        "  unset NO_PROXY no_proxy",
        ...(o.usage ? o.usage(profilePath) : []),
        "",
        "Press Ctrl-C to stop.",
      ].join("\n"));
      signal = await stopped;
    } finally {
      printErr("Sandbox stopping…");
      await sandbox.close();
    }
    printErr(`Sandbox stopped (${signal}).`);
    return signal === "SIGINT" ? 130 : 0;
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
}

/** POSIX single-quoting when needed, so printed commands paste safely. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
