// Key Vault's error dialect (keys.json 2026-04-01 `KeyVaultError`): `{ error: { code, message, innererror? } }`,
// where innererror is itself `{ code, innererror? }`. Distinct from ARM's CloudError: the SDK reads
// `code` from it for RestError.code and `innererror.code` only appears in the parsed body.
import type { SandboxResponse } from "../http.js";

export function kvError(status: number, code: string, message: string, innerCode?: string,
  headers: Record<string, string> = {}): SandboxResponse {
  const error: Record<string, unknown> = { code, message };
  if (innerCode) error.innererror = { code: innerCode };
  return { status, headers, body: { error } };
}
