// What a step does, said from its request (issue 10 §2): a plan's stored `title` is text anyone who can
// write the file can change, so nothing shows it. `apply`, `status`, `verify`, the TUI and the Markdown
// render this instead, from the URL and body that are actually sent — a reviewer and an operator read the
// same words, and an edited request cannot hide behind the title it had.
import { isJsonObject, type JsonValue, type PlanStep } from "../domain/plan.js";
import { FHIR_DATA_ROLES } from "../domain/fhir-data-roles.js";
import { ROLES } from "./step-common.js";

/**
 * Built-in role names by role definition GUID (azure-facts §2.6; identical in every Azure cloud): the FHIR
 * data roles a copied grant may carry (issue 9 §1), and the roles the plan's own grants use.
 */
const ROLE_NAMES: Record<string, string> = {
  ...FHIR_DATA_ROLES,
  ...Object.fromEntries(Object.values(ROLES).map((r) => [r.guid, r.name])),
};

export function roleName(roleDefinitionId: string): string {
  const guid = roleDefinitionId.split("/").pop()?.toLowerCase() ?? "";
  return ROLE_NAMES[guid] ?? roleDefinitionId;
}

const str = (v: JsonValue | undefined): string => (typeof v === "string" ? v : "?");

/** Path segments of the request URL, decoded, case as written. */
function segments(url: string): string[] {
  try {
    return decodeURIComponent(new URL(url).pathname).split("/").filter(Boolean);
  } catch {
    return [];
  }
}

/** The value after `name` (case-insensitive) in an ARM path. */
function after(parts: string[], name: string): string {
  const i = parts.findIndex((p) => p.toLowerCase() === name.toLowerCase());
  return i >= 0 && i + 1 < parts.length ? parts[i + 1]! : "?";
}

/** Who a `principalId` / `objectId` names: the identity a `$fromStep` creates, or the literal id. */
function principal(steps: readonly PlanStep[], v: JsonValue | undefined, type?: JsonValue): string {
  if (isJsonObject(v) && typeof v.$fromStep === "string") {
    const ref = steps.find((s) => s.id === v.$fromStep);
    return ref?.kind === "ensure-identity" ? segments(ref.request.url).at(-1) ?? "?" : `the output of step ${v.$fromStep}`;
  }
  return typeof type === "string" ? `${type} ${str(v)}` : `principal ${str(v)}`;
}

/** "key cmk in vault kv-x", "FHIR service ws/fhir", "storage account st", "registry acr", or the scope itself. */
function scopeLabel(scope: string[]): string {
  const lower = scope.map((p) => p.toLowerCase());
  const last = (type: string) => lower.length >= 2 && lower.at(-2) === type;
  if (last("keys") && lower.at(-4) === "vaults") return `key ${scope.at(-1)} in vault ${scope.at(-3)}`;
  if (last("fhirservices") && lower.at(-4) === "workspaces") return `FHIR service ${scope.at(-3)}/${scope.at(-1)}`;
  if (last("storageaccounts")) return `storage account ${scope.at(-1)}`;
  if (last("registries")) return `registry ${scope.at(-1)}`;
  return `/${scope.join("/")}`;
}

export function stepTitle(steps: readonly PlanStep[], step: PlanStep): string {
  const parts = segments(step.request.url);
  const body = isJsonObject(step.request.body) ? step.request.body : {};
  const properties = isJsonObject(body.properties) ? body.properties : {};
  const location = typeof body.location === "string" ? ` (${body.location})` : "";
  const group = after(parts, "resourceGroups");
  switch (step.kind) {
    case "ensure-resource-group": return `Resource group ${group} in subscription ${after(parts, "subscriptions")}${location}`;
    case "ensure-workspace": return `Workspace ${parts.at(-1) ?? "?"} in ${group}${location}`;
    case "ensure-identity": return `User-assigned identity ${parts.at(-1) ?? "?"} in ${group}${location}`;
    case "create-fhir-service": {
      const encryption = properties.encryption;
      const cmk = isJsonObject(encryption) && isJsonObject(encryption.customerManagedKeyEncryption) ? ", customer-managed key" : "";
      return `FHIR service ${parts.at(-1) ?? "?"} (${str(body.kind)}) in workspace ${after(parts, "workspaces")}${cmk}`;
    }
    case "grant-key-access-policy": {
      const policies = Array.isArray(properties.accessPolicies) ? properties.accessPolicies.filter(isJsonObject) : [];
      const shown = policies.map((p) => {
        const perms = isJsonObject(p.permissions) ? p.permissions : {};
        const what = Object.entries(perms).filter(([, v]) => Array.isArray(v) && v.length > 0)
          .map(([k, v]) => `${k}: ${(v as JsonValue[]).map(str).join(", ")}`).join("; ");
        return `Access policy (${what || "no permissions"}) for ${principal(steps, p.objectId)}`;
      });
      return `${shown.join(" and ") || "Access policy (none)"} in vault ${after(parts, "vaults")}`;
    }
    case "grant-key-role":
    case "grant-data-role": {
      const at = parts.findIndex((p, i) => p.toLowerCase() === "microsoft.authorization" && parts[i - 1]?.toLowerCase() === "providers");
      const scope = at > 0 ? parts.slice(0, at - 1) : parts;
      const role = typeof properties.roleDefinitionId === "string" ? roleName(properties.roleDefinitionId) : "?";
      const named = /^\/subscriptions\//i.test(role) ? `role ${role.split("/").pop()}` : role;
      return `${named} for ${principal(steps, properties.principalId, step.kind === "grant-data-role" && !isJsonObject(properties.principalId) ? properties.principalType : undefined)} on ${scopeLabel(scope)}`;
    }
  }
}
