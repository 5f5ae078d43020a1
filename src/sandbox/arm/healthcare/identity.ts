// The FHIR service's managed identity as the RP takes it in and echoes it back (spec ServiceManagedIdentity;
// azure-facts §2.3, §2.4): user-assigned identities must exist and are echoed with principalId/clientId;
// a system-assigned identity is issued a principal. With CMK at create only a single user-assigned
// identity works, because a system-assigned principal cannot be granted key access before it exists [S9].
import { randomUUID } from "node:crypto";
import type { ArmResource } from "../../estate-types.js";
import type { SandboxState } from "../../state.js";
import type { KeyPrincipal } from "./cmk-validation.js";
import type { RuleFailure } from "./names.js";

const MSI_TYPE = "microsoft.managedidentity/userassignedidentities";
const TYPES = ["None", "SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"];

export interface IdentityInput {
  type?: string;
  userAssignedIdentities?: Record<string, unknown>;
  [extra: string]: unknown;
}

function fail(code: string, message: string): RuleFailure {
  return { status: 400, code, message };
}

function canonicalType(t: string | undefined): string | undefined {
  if (t === undefined) return undefined;
  const n = t.replace(/\s+/g, "").toLowerCase();
  return TYPES.find((x) => x.toLowerCase() === n);
}

function uamiResource(state: SandboxState, id: string): ArmResource | undefined {
  const r = state.getResource(id);
  return r && r.type.toLowerCase() === MSI_TYPE ? r : undefined;
}

/**
 * The first identity rule the request breaks. `hasCmk`: the request sets a key URL; `existing`: the
 * resource being updated (its system-assigned principal already exists then).
 */
export function identityFailure(state: SandboxState, identity: IdentityInput | undefined, hasCmk: boolean,
  existing: ArmResource | undefined): RuleFailure | undefined {
  const type = canonicalType(identity?.type);
  if (identity !== undefined && identity !== null && type === undefined) {
    return fail("InvalidIdentityType", `The identity type '${String(identity.type)}' is not supported. Supported: ${TYPES.join(", ")}.`);
  }
  const uamis = Object.keys(identity?.userAssignedIdentities ?? {});
  if (type?.includes("UserAssigned")) {
    if (uamis.length === 0) {
      return fail("UserAssignedIdentityRequired", "The identity type includes UserAssigned but no userAssignedIdentities were given.");
    }
    for (const id of uamis) {
      if (!uamiResource(state, id)) {
        return fail("UserAssignedIdentityNotFound", `The user-assigned identity '${id}' was not found.`);
      }
    }
  }
  if (!hasCmk) return undefined;
  const existingSystem = canonicalType(existing?.identity?.["type"] as string | undefined) === "SystemAssigned"
    && typeof existing?.identity?.["principalId"] === "string";
  if (type === "SystemAssigned" && existingSystem) return undefined;
  if (type !== "UserAssigned" || uamis.length !== 1) {
    return fail("UserAssignedIdentityRequired",
      "A customer-managed key at create requires exactly one user-assigned identity (identity type 'UserAssigned') " +
      "that already holds access to the key; a system-assigned identity does not exist before the FHIR service is created.");
  }
  return undefined;
}

/** The identity as the RP stores and returns it. */
export function echoIdentity(state: SandboxState, identity: IdentityInput | undefined, existing: ArmResource | undefined,
  tenantId: string): Record<string, unknown> | undefined {
  const type = canonicalType(identity?.type);
  if (!identity || !type) return undefined;
  const out: Record<string, unknown> = { type };
  if (type.includes("SystemAssigned")) {
    const prev = existing?.identity;
    const prevPrincipal = typeof prev?.["principalId"] === "string" ? prev["principalId"] : undefined;
    const principalId = prevPrincipal ?? randomUUID();
    out["principalId"] = principalId;
    out["tenantId"] = (prev?.["tenantId"] as string | undefined) ?? tenantId;
    if (!prevPrincipal) {
      state.principals.push({ tenantId, objectId: principalId, type: "ServicePrincipal", displayName: existing?.name ?? "fhir-system-identity" });
    }
  }
  if (type.includes("UserAssigned")) {
    const uamis: Record<string, { principalId?: string; clientId?: string }> = {};
    for (const id of Object.keys(identity.userAssignedIdentities ?? {})) {
      const p = uamiResource(state, id)?.properties ?? {};
      uamis[id] = { principalId: p["principalId"] as string | undefined, clientId: p["clientId"] as string | undefined };
    }
    out["userAssignedIdentities"] = uamis;
  }
  return out;
}

/** The principal that must hold key access: the single user-assigned identity, else the system-assigned one. */
export function keyPrincipal(state: SandboxState, identity: Record<string, unknown> | undefined, fallbackTenant: string): KeyPrincipal | undefined {
  if (!identity) return undefined;
  const uamis = Object.keys((identity["userAssignedIdentities"] ?? {}) as Record<string, unknown>);
  if (uamis.length > 0) {
    const r = uamiResource(state, uamis[0]!);
    const p = r?.properties ?? {};
    if (typeof p["principalId"] !== "string") return undefined;
    return { objectId: p["principalId"], tenantId: (p["tenantId"] as string | undefined) ?? fallbackTenant, label: uamis[0]! };
  }
  if (typeof identity["principalId"] === "string") {
    return { objectId: identity["principalId"], tenantId: (identity["tenantId"] as string | undefined) ?? fallbackTenant, label: "system-assigned" };
  }
  return undefined;
}
