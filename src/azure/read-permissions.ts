// The caller's own effective permissions at a scope (Microsoft.Authorization/permissions, authorization
// 2022-04-01, through arm-authorization): a resource group with `permissions.listForResourceGroup`, a
// resource or a key vault key with `permissions.listForResource` (a key: namespace Microsoft.KeyVault,
// parentResourcePath `vaults/{v}`, resourceType `keys`). Used for `caller-cannot-grant` (FINDINGS.md
// "Caller's rights").
import type { PermissionSet } from "../domain/snapshot.js";
import { failed, type ReadResult } from "./read-failure.js";
import type { ReadSession } from "./read-session.js";

interface ScopeParts { subscriptionId: string; group: string; namespace?: string; parent: string; type?: string; name?: string }

/** `/subscriptions/{s}/resourceGroups/{rg}[/providers/{ns}/{type}/{name}[/{childType}/{childName}]…]`. */
export function scopeParts(scope: string): ScopeParts | null {
  const seg = scope.split("/").filter(Boolean);
  if (seg.length < 4 || seg[0]!.toLowerCase() !== "subscriptions" || seg[2]!.toLowerCase() !== "resourcegroups") return null;
  const base = { subscriptionId: seg[1]!, group: seg[3]!, parent: "" };
  if (seg.length === 4) return base;
  if (seg[4]!.toLowerCase() !== "providers" || seg.length < 8 || (seg.length - 6) % 2 !== 0) return null;
  const pairs = seg.slice(6);
  const type = pairs.at(-2)!;
  const name = pairs.at(-1)!;
  return { ...base, namespace: seg[5]!, parent: pairs.slice(0, -2).join("/"), type, name };
}

export async function readPermissions(session: ReadSession, scope: string, abortSignal?: AbortSignal): Promise<ReadResult<PermissionSet[]>> {
  const p = scopeParts(scope);
  if (!p) return { ok: false, failure: "error", message: `not a resource group or resource scope: ${scope}` };
  const perms = session.arm(p.subscriptionId).authorization.permissions;
  const pager = p.type
    ? perms.listForResource(p.group, p.namespace!, p.parent, p.type, p.name!, { abortSignal })
    : perms.listForResourceGroup(p.group, { abortSignal });
  try {
    const out: PermissionSet[] = [];
    for await (const page of pager.byPage()) {
      for (const x of page) {
        out.push({ actions: x.actions ?? [], notActions: x.notActions ?? [], dataActions: x.dataActions ?? [], notDataActions: x.notDataActions ?? [] });
      }
    }
    return { ok: true, value: out };
  } catch (err) {
    return failed(err);
  }
}
