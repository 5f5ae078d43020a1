// One FHIR service's resources in memory (issue 11, "The sandbox grows a FHIR data plane"): per type and id,
// every version with its versionId (1, 2, …), lastUpdated (ms: AHDS keeps milliseconds,
// DATA-MIGRATION.md §2.4) and whether it is a delete. The serialized form is what an export writes: every
// version as a resource with meta.versionId and meta.lastUpdated, a delete marked with the deleted-state
// extension (DATA-MIGRATION.md §1.3), so the estate's `fhirData.resources` and the --state file use it too.

/** fhir-server's marker on a soft-deleted version in export output, understood by $import (DATA-MIGRATION.md §1.3). */
export const DELETED_STATE_URL = "http://azurehealthcareapis.com/data-extensions/deleted-state";

export interface FhirResource {
  resourceType: string;
  id: string;
  meta?: { versionId?: string; lastUpdated?: string; extension?: { url: string; valueString?: string }[]; [k: string]: unknown };
  [field: string]: unknown;
}

export interface StoredVersion {
  versionId: number;
  /** Epoch ms. */
  lastUpdated: number;
  deleted: boolean;
  /** The resource as read (meta included); for a delete, only resourceType, id and meta. */
  resource: FhirResource;
}

export interface TypeCounts {
  /** Resources whose latest version is not a delete. */
  current: number;
  /** Every version, deletes included (what `_history?_summary=count` counts). */
  versions: number;
  /** Resources whose latest version is a delete. */
  deleted: number;
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function isDeletedMarker(r: FhirResource): boolean {
  return (r.meta?.extension ?? []).some((e) => e.url === DELETED_STATE_URL && e.valueString === "soft-deleted");
}

function withMeta(r: FhirResource, versionId: number, lastUpdated: number): FhirResource {
  const { extension: _marker, ...meta } = r.meta ?? {};
  return { ...r, meta: { ...meta, versionId: String(versionId), lastUpdated: new Date(lastUpdated).toISOString() } };
}

export class FhirStore {
  private readonly byType = new Map<string, Map<string, StoredVersion[]>>();

  private history(type: string, id: string, create: boolean): StoredVersion[] | undefined {
    let ids = this.byType.get(type);
    if (!ids) {
      if (!create) return undefined;
      this.byType.set(type, ids = new Map());
    }
    let versions = ids.get(id);
    if (!versions && create) ids.set(id, versions = []);
    return versions;
  }

  /** A new version of the resource at `atMs` (later than the last one, as a server stamps it). */
  write(resource: FhirResource, atMs: number): StoredVersion {
    if (!ID.test(resource.id)) throw new Error(`invalid resource id ${JSON.stringify(resource.id)}`);
    const versions = this.history(resource.resourceType, resource.id, true)!;
    const last = versions.at(-1);
    const lastUpdated = Math.max(Math.floor(atMs), last ? last.lastUpdated + 1 : 0);
    const versionId = (last?.versionId ?? 0) + 1;
    const v: StoredVersion = { versionId, lastUpdated, deleted: false, resource: withMeta(resource, versionId, lastUpdated) };
    versions.push(v);
    return v;
  }

  /** A delete version (soft delete); null when there is nothing current to delete. */
  delete(type: string, id: string, atMs: number): StoredVersion | null {
    const versions = this.history(type, id, false);
    const last = versions?.at(-1);
    if (!versions || !last || last.deleted) return null;
    const versionId = last.versionId + 1;
    const lastUpdated = Math.max(Math.floor(atMs), last.lastUpdated + 1);
    const v: StoredVersion = { versionId, lastUpdated, deleted: true, resource: withMeta({ resourceType: type, id }, versionId, lastUpdated) };
    versions.push(v);
    return v;
  }

  /**
   * A version exactly as given (meta.versionId and meta.lastUpdated kept, a deleted-state marker made a
   * delete), in version order whatever order versions arrive in: what incremental import and the estate do.
   * "same" when that version is already here with the same content.
   */
  load(resource: FhirResource): "loaded" | "same" | "conflict" {
    const versionId = Number(resource.meta?.versionId);
    const lastUpdated = Date.parse(resource.meta?.lastUpdated ?? "");
    if (!Number.isInteger(versionId) || versionId < 1 || Number.isNaN(lastUpdated) || !ID.test(resource.id)) {
      throw new Error(`resource ${resource.resourceType}/${resource.id} needs an integer meta.versionId and a meta.lastUpdated`);
    }
    const deleted = isDeletedMarker(resource);
    const stored = deleted ? withMeta({ resourceType: resource.resourceType, id: resource.id }, versionId, lastUpdated) : withMeta(resource, versionId, lastUpdated);
    const versions = this.history(resource.resourceType, resource.id, true)!;
    const at = versions.findIndex((v) => v.versionId >= versionId);
    const existing = at >= 0 ? versions[at] : undefined;
    if (existing?.versionId === versionId) {
      return existing.deleted === deleted && JSON.stringify(existing.resource) === JSON.stringify(stored) ? "same" : "conflict";
    }
    const v: StoredVersion = { versionId, lastUpdated, deleted, resource: stored };
    if (at < 0) versions.push(v);
    else versions.splice(at, 0, v);
    return "loaded";
  }

  /** The latest version (a delete included), or undefined when the resource never existed. */
  latest(type: string, id: string): StoredVersion | undefined {
    return this.history(type, id, false)?.at(-1);
  }

  version(type: string, id: string, versionId: number): StoredVersion | undefined {
    return this.history(type, id, false)?.find((v) => v.versionId === versionId);
  }

  versionsOf(type: string, id: string): readonly StoredVersion[] {
    return this.history(type, id, false) ?? [];
  }

  types(): string[] {
    return [...this.byType.keys()].sort();
  }

  /** Each resource of `type` as its versions (oldest first), in id order. */
  *histories(type: string): Generator<readonly StoredVersion[]> {
    const ids = this.byType.get(type);
    if (!ids) return;
    for (const id of [...ids.keys()].sort()) yield ids.get(id)!;
  }

  /** Every version of every resource of `type` (or of all types), in type, id and version order. */
  *allVersions(type?: string): Generator<StoredVersion> {
    for (const t of type === undefined ? this.types() : [type]) for (const versions of this.histories(t)) yield* versions;
  }

  /** The resources of `type` whose latest version is not a delete. */
  *currentOf(type: string): Generator<StoredVersion> {
    for (const versions of this.histories(type)) {
      const last = versions.at(-1);
      if (last && !last.deleted) yield last;
    }
  }

  counts(): Record<string, TypeCounts> {
    const out: Record<string, TypeCounts> = {};
    for (const t of this.types()) {
      const c: TypeCounts = { current: 0, versions: 0, deleted: 0 };
      for (const versions of this.byType.get(t)!.values()) {
        c.versions += versions.length;
        if (versions.at(-1)?.deleted) c.deleted++;
        else if (versions.length > 0) c.current++;
      }
      out[t] = c;
    }
    return out;
  }

  /** Every version in the export form (deletes carry the deleted-state marker): what the state file keeps. */
  toResources(): FhirResource[] {
    const out: FhirResource[] = [];
    for (const v of this.allVersions()) out.push(v.deleted ? exportForm(v) : v.resource);
    return out;
  }
}

/** A version as `$export` writes it: a delete keeps only its id and meta, with the deleted-state marker. */
export function exportForm(v: StoredVersion): FhirResource {
  if (!v.deleted) return v.resource;
  return { ...v.resource, meta: { ...v.resource.meta, extension: [{ url: DELETED_STATE_URL, valueString: "soft-deleted" }] } };
}
