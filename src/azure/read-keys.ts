// Key Vault data-plane reads of one key (keyvault-keys 4.10, SDK-RECIPE §5): `getKey` of the judged version
// (the pinned one, else the current one) for kty, RSA size (modulus length × 8), enabled, exp, nbf and
// recoveryLevel; `listPropertiesOfKeyVersions` (all pages) for the attributes of every version. Each
// failure is data (read-failure.ts): a disabled version answers 403 "…not allowed on a disabled key." →
// "disabled", another tenant's vault → "cross-tenant" with the challenge's tenant. A vault host that does
// not resolve (proxy 502 ProxyHostNotFound) is retried by the client pipeline's bounded retry (the session's
// limiter budget) before it becomes "not-found".
import type { KeyFacts, KeyVersionFacts, ReadFailure } from "../domain/snapshot.js";
import { classify } from "./read-failure.js";
import type { ReadSession } from "./read-session.js";

/** The facts one getKey gives (the KeyFacts fields it fills). */
export type KeyRead = Pick<KeyFacts, "version" | "keyType" | "keySize" | "enabled" | "expiresOn" | "notBefore" | "recoveryLevel">;

export type KeyReadResult =
  | { ok: true; value: KeyRead }
  | { ok: false; failure: ReadFailure | "disabled"; message: string; challengeTenantId: string | null; status?: number };

const iso = (d: Date | undefined): string | null => (d ? d.toISOString() : null);

export async function readKey(session: ReadSession, vaultUrl: string, name: string, version: string | null,
  abortSignal?: AbortSignal): Promise<KeyReadResult> {
  try {
    const k = await session.keys(vaultUrl).getKey(name, { ...(version ? { version } : {}), abortSignal });
    const kty = k.key?.kty ?? k.keyType ?? null;
    const isRsa = typeof kty === "string" && kty.startsWith("RSA");
    return {
      ok: true,
      value: {
        version: k.properties.version ?? null,
        keyType: kty,
        keySize: isRsa && k.key?.n ? k.key.n.length * 8 : null,
        enabled: k.properties.enabled ?? null,
        expiresOn: iso(k.properties.expiresOn),
        notBefore: iso(k.properties.notBefore),
        recoveryLevel: k.properties.recoveryLevel ?? null,
      },
    };
  } catch (err) {
    const c = classify(err);
    return { ok: false, failure: c.failure, message: c.message, challengeTenantId: c.tenantId ?? null,
      ...(c.status !== undefined ? { status: c.status } : {}) };
  }
}

export type VersionsResult =
  | { ok: true; value: KeyVersionFacts[] }
  | { ok: false; failure: ReadFailure; message: string; challengeTenantId: string | null };

export async function listKeyVersions(session: ReadSession, vaultUrl: string, name: string, abortSignal?: AbortSignal): Promise<VersionsResult> {
  try {
    const out: KeyVersionFacts[] = [];
    for await (const page of session.keys(vaultUrl).listPropertiesOfKeyVersions(name, { abortSignal }).byPage()) {
      for (const p of page) {
        out.push({ version: p.version ?? "", enabled: p.enabled ?? null, expiresOn: iso(p.expiresOn),
          notBefore: iso(p.notBefore), createdOn: iso(p.createdOn) });
      }
    }
    return { ok: true, value: out };
  } catch (err) {
    const c = classify(err);
    return { ok: false, failure: c.failure === "disabled" ? "forbidden" : c.failure, message: c.message, challengeTenantId: c.tenantId ?? null };
  }
}

/** The current version per FINDINGS.md "Current key version": the newest by `created`. */
export function newestVersion(versions: KeyVersionFacts[]): KeyVersionFacts | null {
  let best: KeyVersionFacts | null = null;
  for (const v of versions) if (!best || (v.createdOn ?? "") > (best.createdOn ?? "")) best = v;
  return best;
}
