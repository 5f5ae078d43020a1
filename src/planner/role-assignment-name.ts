// Role-assignment names are name-based UUIDs (RFC 9562 §5.5, version 5, SHA-1) so a plan knows them before
// anything exists (DESIGN.md "Plan"): re-planning the same grant gives the same name, and apply can read
// `GET …/roleAssignments/{name}` to see whether the grant is already there. ARM requires the name to be a
// GUID (Authorization 2022-04-01 RoleAssignments_Create, "The name of the role assignment. It can be any
// valid GUID").
import { createHash } from "node:crypto";

/**
 * The namespace of every role-assignment name this tool derives. Chosen once (a random v4 UUID) and never
 * changed: changing it would rename every planned grant.
 */
export const ROLE_ASSIGNMENT_NAMESPACE = "7c0f5a4e-3d0b-4c1e-9f6a-2b8d5e1a9c34";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** RFC 9562 UUID version 5 of `name` (UTF-8) in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  if (!UUID.test(namespace)) throw new Error(`not a UUID: ${namespace}`);
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The name of the role assignment of `roleDefinitionGuid` to `principal` at `scope`: UUIDv5 of
 * `${scope lower}|${principal lower}|${roleDefinitionGuid lower}`, trailing slashes dropped. `principal` is the
 * identity's ARM id (its principalId is only known at apply time) or a principal's object id.
 */
export function roleAssignmentName(scope: string, principal: string, roleDefinitionGuid: string): string {
  const norm = (s: string) => s.replace(/\/+$/, "").toLowerCase();
  return uuidV5(ROLE_ASSIGNMENT_NAMESPACE, `${norm(scope)}|${norm(principal)}|${roleDefinitionGuid.toLowerCase()}`);
}
