// KeyBundle / KeyItem bodies (keys.json 2026-04-01; same shape since 7.5, INDEX.md) built from the estate's
// key versions. Ids use the vault's real host: `https://{vault host}/keys/{name}/{version}`.
import type { ArmResource, EstateKey, EstateKeyVersion } from "../estate-types.js";
import { base64url, ecCoordinates, rsaModulus } from "./key-material.js";
import { recoveryAttributes } from "./recovery-level.js";

/** Key Vault's default operations for a key created without `key_ops` (GetKey example). */
export const DEFAULT_KEY_OPS = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];

/** The version `GET /keys/{name}` returns: the newest by `created` (FINDINGS.md "Current key version");
 *  on a tie the later entry in the estate wins (rotation appends). */
export function currentVersion(key: EstateKey): EstateKeyVersion | undefined {
  let best: EstateKeyVersion | undefined;
  for (const v of key.versions) if (!best || v.created >= best.created) best = v;
  return best;
}

export function findVersion(key: EstateKey, version: string): EstateKeyVersion | undefined {
  const v = version.toLowerCase();
  return key.versions.find((x) => x.version.toLowerCase() === v);
}

export function keyAttributes(vault: ArmResource, v: EstateKeyVersion): Record<string, unknown> {
  const r = recoveryAttributes(vault);
  const a: Record<string, unknown> = { enabled: v.enabled };
  if (v.nbf !== null && v.nbf !== undefined) a.nbf = v.nbf;
  if (v.exp !== null && v.exp !== undefined) a.exp = v.exp;
  a.created = v.created;
  a.updated = v.updated ?? v.created;
  a.recoveryLevel = r.recoveryLevel;
  a.recoverableDays = r.recoverableDays;
  a.exportable = false;
  return a;
}

export function keyId(vaultHost: string, keyName: string, version?: string): string {
  return `https://${vaultHost}/keys/${keyName}${version ? `/${version}` : ""}`;
}

export function jsonWebKey(vaultHost: string, key: EstateKey, v: EstateKeyVersion): Record<string, unknown> {
  const jwk: Record<string, unknown> = {
    kid: keyId(vaultHost, key.name, v.version),
    kty: v.kty,
    key_ops: v.keyOps ?? DEFAULT_KEY_OPS,
  };
  const seed = `${key.vaultName.toLowerCase()}/${key.name.toLowerCase()}/${v.version.toLowerCase()}`;
  if (v.kty === "RSA" || v.kty === "RSA-HSM") {
    jwk.n = base64url(rsaModulus(seed, v.keySize ?? 2048));
    jwk.e = "AQAB";
  } else if (v.kty === "EC" || v.kty === "EC-HSM") {
    const crv = v.crv ?? "P-256";
    const { x, y } = ecCoordinates(seed, crv);
    jwk.crv = crv;
    jwk.x = base64url(x);
    jwk.y = base64url(y);
  }
  // oct / oct-HSM: "If the requested key is symmetric, then no key material is released" (keys.json GetKey).
  return jwk;
}

export function keyBundle(vaultHost: string, vault: ArmResource, key: EstateKey, v: EstateKeyVersion): Record<string, unknown> {
  const body: Record<string, unknown> = { key: jsonWebKey(vaultHost, key, v), attributes: keyAttributes(vault, v) };
  if (key.tags) body.tags = key.tags;
  return body;
}

/** KeyItem of a version (versions listing) or, with `versionless`, of the key (`GET /keys`). */
export function keyItem(vaultHost: string, vault: ArmResource, key: EstateKey, v: EstateKeyVersion, versionless: boolean): Record<string, unknown> {
  const item: Record<string, unknown> = {
    kid: keyId(vaultHost, key.name, versionless ? undefined : v.version),
    attributes: keyAttributes(vault, v),
  };
  if (key.tags) item.tags = key.tags;
  return item;
}
