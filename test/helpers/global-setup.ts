// vitest globalSetup: create the sandbox CA once and put it in the environment before the worker
// processes fork (pool "forks"): node reads NODE_EXTRA_CA_CERTS only when it starts (SDK-RECIPE §3),
// so a CA created inside a worker could never be trusted by that worker's SDK clients.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadOrCreateCa } from "../../src/sandbox/ca.js";

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(path.join(tmpdir(), "ahds-sandbox-ca-"));
  const ca = await loadOrCreateCa(dir);
  process.env.NODE_EXTRA_CA_CERTS = ca.caCertPath;
  process.env.AHDS_TEST_CA_DIR = dir;
  // SDK-RECIPE §2 sandboxEnv: no proxy exceptions, only the environment credential.
  for (const k of ["NO_PROXY", "no_proxy", "https_proxy", "http_proxy", "AZURE_AUTHORITY_HOST", "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_USERNAME", "AZURE_PASSWORD", "AZURE_FEDERATED_TOKEN_FILE"]) delete process.env[k];
  process.env.AZURE_TOKEN_CREDENTIALS = "EnvironmentCredential";
  return () => rmSync(dir, { recursive: true, force: true });
}
