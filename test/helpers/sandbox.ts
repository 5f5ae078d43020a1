// Start a sandbox for one test file and point this worker's SDK clients at it (SDK-RECIPE §2
// sandboxEnv). Test files run in their own worker with their tests in sequence, so setting the
// environment per file is safe. The CA comes from globalSetup (AHDS_TEST_CA_DIR), already trusted
// through NODE_EXTRA_CA_CERTS.
import type { Estate } from "../../src/sandbox/estate-types.js";
import { startSandbox, type ResponseEvent, type Sandbox, type StartSandboxOptions } from "../../src/sandbox/server.js";

export interface StartTestSandboxOptions extends Omit<StartSandboxOptions, "estate" | "caDir"> {
  /** Leave HTTPS_PROXY and AZURE_* alone (a test that manages its own environment). */
  keepEnv?: boolean;
}

export function testCaDir(): string {
  const dir = process.env.AHDS_TEST_CA_DIR;
  if (!dir) throw new Error("AHDS_TEST_CA_DIR is not set: run the tests through vitest (test/helpers/global-setup.ts).");
  return dir;
}

export async function startTestSandbox(estate: Estate | undefined, opts: StartTestSandboxOptions = {}): Promise<Sandbox> {
  const { keepEnv, ...rest } = opts;
  const sandbox = await startSandbox({ ...rest, ...(estate ? { estate } : {}), caDir: testCaDir() });
  if (!keepEnv) useSandboxEnv(sandbox);
  return sandbox;
}

/** HTTPS_PROXY and the caller's credentials of this sandbox, for SDK clients created from now on. */
export function useSandboxEnv(sandbox: Sandbox): void {
  const p = sandbox.profile();
  process.env.HTTPS_PROXY = p.proxyUrl;
  process.env.AZURE_TENANT_ID = p.tenantId;
  process.env.AZURE_CLIENT_ID = p.clientId;
  process.env.AZURE_CLIENT_SECRET = p.clientSecret;
  process.env.AZURE_TOKEN_CREDENTIALS = "EnvironmentCredential";
  for (const k of ["NO_PROXY", "no_proxy", "https_proxy"]) delete process.env[k];
}

/**
 * Every response the sandbox sends from now on, for the Swagger validator
 * (test/helpers/spec-validator.ts): `const seen = collectResponses(sandbox)`, drive the SDK, then
 * validate each entry of `seen`. Call `stop` (or close the sandbox) to stop collecting.
 */
export function collectResponses(sandbox: Sandbox): ResponseEvent[] & { stop: () => void } {
  const seen = [] as unknown as ResponseEvent[] & { stop: () => void };
  const off = sandbox.onResponse((e) => seen.push(e));
  Object.defineProperty(seen, "stop", { value: off, enumerable: false });
  return seen;
}
