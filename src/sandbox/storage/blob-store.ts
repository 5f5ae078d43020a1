// The built-in Blob storage's content (issue 11): what the sandbox's own FHIR jobs write ($export output,
// $import error files) and read ($import input), per storage account (lower case), container and blob
// name. Text only — NDJSON and JSON are all the data copy moves. Kept in the --state file, so a sandbox
// restarted from it still serves the files a journaled manifest names. Why built in and not Azurite:
// DATA-MIGRATION.md §7 (Azurite needs Node 22, has no RBAC, runs apart from the state file).
import { createHash } from "node:crypto";
import type { StoredBlob } from "../estate-types.js";

const key = (account: string, container: string, name: string) => `${account.toLowerCase()}/${container}/${name}`;

export class BlobStore {
  private readonly blobs = new Map<string, StoredBlob>();
  /** Containers created empty (`account/container`); a container with blobs exists anyway. Not persisted: only blobs are. */
  private readonly containers = new Set<string>();

  hasContainer(account: string, container: string): boolean {
    const k = `${account.toLowerCase()}/${container}`;
    return this.containers.has(k) || [...this.blobs.keys()].some((b) => b.startsWith(`${k}/`));
  }

  createContainer(account: string, container: string): void {
    this.containers.add(`${account.toLowerCase()}/${container}`);
  }

  delete(account: string, container: string, name: string): boolean {
    return this.blobs.delete(key(account, container, name));
  }

  constructor(initial: readonly StoredBlob[] = []) {
    for (const b of initial) this.blobs.set(key(b.account, b.container, b.name), b);
  }

  put(account: string, container: string, name: string, content: string, contentType: string, nowMs: number): StoredBlob {
    const etag = `"0x${createHash("sha256").update(content).update(String(nowMs)).digest("hex").slice(0, 15).toUpperCase()}"`;
    const blob: StoredBlob = { account: account.toLowerCase(), container, name, content, contentType, etag, lastModified: nowMs };
    this.blobs.set(key(account, container, name), blob);
    return blob;
  }

  get(account: string, container: string, name: string): StoredBlob | undefined {
    return this.blobs.get(key(account, container, name));
  }

  /** The blobs of a container whose names start with `prefix`, in name order. */
  list(account: string, container: string, prefix = ""): StoredBlob[] {
    const start = key(account, container, prefix);
    return [...this.blobs.entries()].filter(([k]) => k.startsWith(start)).map(([, b]) => b).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  all(): StoredBlob[] {
    return [...this.blobs.values()];
  }
}

/** `https://{account}{blobSuffix}/{container}/{name}` → its parts, when the URL is on this cloud's Blob host. */
export function parseBlobUrl(url: string, blobSuffix: string): { account: string; container: string; name: string } | undefined {
  let u: URL;
  try { u = new URL(url); } catch { return undefined; }
  const host = u.hostname.toLowerCase();
  if (u.protocol !== "https:" || !host.endsWith(blobSuffix)) return undefined;
  const account = host.slice(0, -blobSuffix.length);
  const [container, ...rest] = u.pathname.split("/").filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  if (!account || account.includes(".") || !container || rest.length === 0) return undefined;
  return { account, container, name: rest.join("/") };
}
