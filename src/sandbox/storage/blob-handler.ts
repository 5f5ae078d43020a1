// The Blob data plane of every storage account of the estate, on `{account}{blobSuffix}` (issue 11): what
// @azure/storage-blob 12.32.0 sends to read the FHIR jobs' files and write small ones — create container
// (`PUT ?restype=container`), list blobs flat (`GET ?restype=container&comp=list`, XML EnumerationResults,
// NextMarker paging), Put Blob (`x-ms-blob-type: BlockBlob`), Get Blob (with `Range`/`x-ms-range`), Get Blob
// Properties (HEAD), Delete Blob. A bearer token for https://storage.azure.com (or the account's own
// endpoint) from a tenant of the estate, then the data action from Azure RBAC at the account or above;
// else 403 `AuthorizationPermissionMismatch`, as Storage answers. Errors are Storage's XML
// `<Error><Code/><Message/></Error>` with `x-ms-error-code`.
import { randomUUID } from "node:crypto";
import type { SandboxContext } from "../context.js";
import type { ArmResource } from "../estate-types.js";
import type { SandboxRequest, SandboxResponse } from "../http.js";
import { authenticate } from "../entra/authenticate.js";
import { hasDataAction } from "../arm/rbac.js";

const ACTION = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
const CONTAINER = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

export function storageAccountOfHost(ctx: { state: SandboxContext["state"] }, host: string): ArmResource | undefined {
  const suffix = ctx.state.hosts.blobSuffix;
  const h = host.toLowerCase();
  if (!h.endsWith(suffix)) return undefined;
  const name = h.slice(0, -suffix.length);
  return ctx.state.listResources("Microsoft.Storage/storageAccounts").find((r) => r.name.toLowerCase() === name);
}

function headers(req: SandboxRequest, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { "x-ms-request-id": randomUUID(), "x-ms-version": String(req.headers["x-ms-version"] ?? "2026-04-06"), ...extra };
  const client = req.headers["x-ms-client-request-id"];
  if (typeof client === "string") h["x-ms-client-request-id"] = client;
  return h;
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function storageError(req: SandboxRequest, status: number, code: string, message: string, extra: Record<string, string> = {}): SandboxResponse {
  const h = headers(req, { "content-type": "application/xml", "x-ms-error-code": code, ...extra });
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${xmlEscape(message)}\nRequestId:${h["x-ms-request-id"]}\nTime:${new Date().toISOString()}</Message></Error>`;
  // The server sends no body to a HEAD, but keeps its content-length.
  return { status, headers: h, body };
}

export function handleBlob(req: SandboxRequest, ctx: SandboxContext): SandboxResponse {
  const account = storageAccountOfHost(ctx, req.host);
  if (!account) return storageError(req, 404, "ResourceNotFound", "The specified resource does not exist.");
  ctx.notes.subscription = account.id.split("/")[2];
  const auth = authenticate(req, ctx, [ctx.state.hosts.storageAudience, `https://${req.host.toLowerCase()}`]);
  if (!auth.ok) {
    const tenant = ctx.state.tenants[0]?.tenantId ?? "common";
    return storageError(req, 401, "InvalidAuthenticationInfo", `Server failed to authenticate the request. ${auth.message}`,
      { "www-authenticate": `Bearer authorization_uri=https://${ctx.state.hosts.login}/${tenant}/oauth2/authorize resource_id=${ctx.state.hosts.storageAudience}` });
  }
  ctx.notes.principal = auth.claims.oid;
  const [container, ...rest] = req.path.split("/").filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  const blob = rest.join("/");
  const method = req.method.toUpperCase();
  const verb = method === "GET" || method === "HEAD" ? "read" : method === "DELETE" ? "delete" : "write";
  ctx.notes.kind = verb === "read" ? "read" : verb === "delete" ? "delete" : "write";
  // Creating a container is judged by the blob write action too (the data roles that may write may create).
  if (!hasDataAction(ctx.state, auth.claims.oid, account.id, `${ACTION}/${verb}`)) {
    return storageError(req, 403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission.");
  }
  if (!container || !CONTAINER.test(container)) return storageError(req, 400, "InvalidResourceName", "The specifed resource name contains invalid characters.");
  const name = account.name.toLowerCase();
  const store = ctx.state.blobs;

  if (!blob) {
    if (method === "PUT" && req.query.get("restype") === "container") {
      if (store.hasContainer(name, container)) return storageError(req, 409, "ContainerAlreadyExists", "The specified container already exists.");
      store.createContainer(name, container);
      ctx.changed();
      return { status: 201, headers: headers(req, { etag: `"0x${Date.now().toString(16).toUpperCase()}"`, "last-modified": new Date(ctx.state.now()).toUTCString() }) };
    }
    if (method === "GET" && req.query.get("restype") === "container" && req.query.get("comp") === "list") return list(req, ctx, name, container);
    return storageError(req, 400, "UnsupportedQueryParameter", "One of the query parameters specified in the request URI is not supported.");
  }
  if (!store.hasContainer(name, container)) return storageError(req, 404, "ContainerNotFound", "The specified container does not exist.");
  if (method === "PUT") {
    if (String(req.headers["x-ms-blob-type"] ?? "") !== "BlockBlob") return storageError(req, 400, "InvalidHeaderValue", "The value for one of the HTTP headers is not in the correct format.");
    const b = store.put(name, container, blob, req.body.toString("utf8"), String(req.headers["x-ms-blob-content-type"] ?? "application/octet-stream"), ctx.state.now());
    ctx.changed();
    return { status: 201, headers: headers(req, { etag: b.etag, "last-modified": new Date(b.lastModified).toUTCString(), "x-ms-request-server-encrypted": "true" }) };
  }
  const found = store.get(name, container, blob);
  if (!found) return storageError(req, 404, "BlobNotFound", "The specified blob does not exist.");
  if (method === "DELETE") {
    store.delete(name, container, blob);
    ctx.changed();
    return { status: 202, headers: headers(req, { "x-ms-delete-type-permanent": "true" }) };
  }
  const bytes = Buffer.from(found.content, "utf8");
  const props = {
    etag: found.etag, "last-modified": new Date(found.lastModified).toUTCString(), "content-type": found.contentType,
    "x-ms-blob-type": "BlockBlob", "accept-ranges": "bytes", "x-ms-server-encrypted": "true", "x-ms-creation-time": new Date(found.lastModified).toUTCString(),
  };
  if (method === "HEAD") return { status: 200, headers: headers(req, props), body: bytes };
  if (method !== "GET") return storageError(req, 405, "UnsupportedHttpVerb", "The resource doesn't support the specified HTTP verb.");
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers["x-ms-range"] ?? req.headers.range ?? ""));
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : bytes.length - 1, bytes.length - 1);
    if (start >= bytes.length) return storageError(req, 416, "InvalidRange", "The range specified is invalid for the current size of the resource.");
    return { status: 206, headers: headers(req, { ...props, "content-range": `bytes ${start}-${end}/${bytes.length}` }), body: bytes.subarray(start, end + 1).toString("utf8") };
  }
  return { status: 200, headers: headers(req, props), body: found.content };
}

function list(req: SandboxRequest, ctx: SandboxContext, account: string, container: string): SandboxResponse {
  if (!ctx.state.blobs.hasContainer(account, container)) return storageError(req, 404, "ContainerNotFound", "The specified container does not exist.");
  const prefix = req.query.get("prefix") ?? "";
  const marker = req.query.get("marker") ?? "";
  const max = Math.min(5000, Math.max(1, Number(req.query.get("maxresults") ?? 5000) || 5000));
  const all = ctx.state.blobs.list(account, container, prefix).filter((b) => b.name > marker || marker === "");
  const page = all.slice(0, max);
  const next = all.length > max ? page.at(-1)!.name : "";
  const blobs = page.map((b) => `<Blob><Name>${xmlEscape(b.name)}</Name><Properties><Creation-Time>${new Date(b.lastModified).toUTCString()}</Creation-Time>`
    + `<Last-Modified>${new Date(b.lastModified).toUTCString()}</Last-Modified><Etag>${b.etag}</Etag><Content-Length>${Buffer.byteLength(b.content)}</Content-Length>`
    + `<Content-Type>${xmlEscape(b.contentType)}</Content-Type><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred>`
    + "<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties><OrMetadata /></Blob>").join("");
  const body = `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://${req.host}/" ContainerName="${xmlEscape(container)}">`
    + `${prefix ? `<Prefix>${xmlEscape(prefix)}</Prefix>` : ""}${marker ? `<Marker>${xmlEscape(marker)}</Marker>` : ""}<MaxResults>${max}</MaxResults>`
    + `<Blobs>${blobs}</Blobs><NextMarker>${xmlEscape(next)}</NextMarker></EnumerationResults>`;
  return { status: 200, headers: headers(req, { "content-type": "application/xml" }), body };
}
