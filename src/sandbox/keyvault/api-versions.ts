// Key Vault data-plane api-versions the service accepts. Key Vault versions its data plane apart from ARM
// (7.x, then dates). Sources: ../shared/specs INDEX.md (Keys stable 7.5, 7.6, 2025-07-01, 2026-04-01;
// previews 7.6-preview.2, 2025-06-01-preview, 2026-01-01-preview, 2026-03-01-preview; legacy 7.x combined
// specs), the GetKeys example's "2025-06-01", and @azure/keyvault-keys 4.10.2 (LATEST_API_VERSION 2025-07-01).
export const KEY_VAULT_API_VERSIONS: readonly string[] = [
  "2015-06-01", "2016-10-01",
  "7.0", "7.0-preview", "7.1", "7.1-preview", "7.2", "7.2-preview", "7.3", "7.3-preview",
  "7.4", "7.4-preview.1", "7.5", "7.5-preview.1", "7.6", "7.6-preview.1", "7.6-preview.2",
  "2025-06-01", "2025-06-01-preview", "2025-07-01",
  "2026-01-01-preview", "2026-03-01-preview", "2026-04-01",
];

/** The version Key Vault names in "Consider using the latest supported version (…)". */
export const LATEST_KEY_VAULT_API_VERSION = "2026-04-01";

export function isKeyVaultApiVersion(v: string): boolean {
  return KEY_VAULT_API_VERSIONS.includes(v);
}
