// The sandbox: a local Azure that the unmodified Azure SDKs talk to through HTTPS_PROXY (DESIGN.md
// "The sandbox"). This file wires the pieces: the proxy (proxy.ts) and its TLS tunnels, the admin API
// on the proxy port (admin.ts), latency, faults (faults.ts), the request log, persistence, and the
// per-host handlers (dispatch.ts). src/sandbox imports nothing from the rest of src.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import type { Duplex } from "node:stream";
import { createSecureContext } from "node:tls";
import { handleAdmin, patchResource as patchResourceIn, rotateKey as rotateKeyIn, setFaults as setFaultsIn, type RotatedKey } from "./admin.js";
import { writeFileAtomic } from "./atomic-file.js";
import { loadOrCreateCa } from "./ca.js";
import type { SandboxContext, TokenIssuer } from "./context.js";
import { handlerForHost } from "./dispatch.js";
import { createTokenIssuer } from "./entra/tokens.js";
import type { ArmResource, Cloud, Estate, FaultRule } from "./estate-types.js";
import { requestFault, stuckState } from "./faults.js";
import { HttpError, type RequestNotes, type SandboxRequest, type SandboxResponse } from "./http.js";
import { loadSandboxState, StatePersister } from "./persistence.js";
import { attachConnect, tunnelHost } from "./proxy.js";
import { seededRandom } from "./random.js";
import { kindOfMethod, queryObject, RequestLog, type RequestLogEntry } from "./request-log.js";
import type { SandboxState } from "./state.js";

export interface StartSandboxOptions {
  estate?: Estate;
  /** State file: loaded if it exists (it wins over `estate`), written after every change. */
  statePath?: string;
  /** CA directory (created if missing, reused if present). */
  caDir: string;
  /** Port on 127.0.0.1; 0 or absent = any free port. */
  port?: number;
  /** Injectable clock (epoch ms). */
  now?: () => number;
}

/** DESIGN.md "Connection profile". */
export interface SandboxProfile {
  formatVersion: 1;
  cloud: Cloud;
  proxyUrl: string;
  caCertPath: string;
  adminUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** One answered request, for observers such as the Swagger validator (test/helpers/spec-validator.ts). */
export interface ResponseEvent {
  /** The request's number in arrival order, as in the request log. */
  seq: number;
  method: string;
  host: string;
  /** As in SandboxRequest: `//` collapsed, not percent-decoded, no query. */
  path: string;
  query: Record<string, string>;
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when there is none or it is not JSON. */
  body: unknown;
}

export interface Sandbox {
  port: number;
  proxyUrl: string;
  adminUrl: string;
  caCertPath: string;
  state: SandboxState;
  /** Warnings from loading the estate or state file. */
  warnings: string[];
  profile(): SandboxProfile;
  requests(): RequestLogEntry[];
  /** The seq of the last request that arrived, answered or not: later requests have a higher one. */
  lastSeq(): number;
  onResponse(listener: (e: ResponseEvent) => void): () => void;
  rotateKey(vault: string, key: string): RotatedKey;
  patchResource(id: string, patch: unknown): ArmResource;
  setFaults(rules: FaultRule[]): FaultRule[];
  close(): Promise<void>;
}

/** Collapse repeated slashes in the path part of a request target (SDK-RECIPE §5: `//subscriptions/…`). */
export function collapseSlashes(target: string): string {
  const q = target.indexOf("?");
  const p = q < 0 ? target : target.slice(0, q);
  const rest = q < 0 ? "" : target.slice(q);
  return p.replace(/\/{2,}/g, "/") + rest;
}

export async function startSandbox(opts: StartSandboxOptions): Promise<Sandbox> {
  const ca = await loadOrCreateCa(opts.caDir);
  const { state, warnings } = loadSandboxState({
    ...(opts.estate ? { estate: opts.estate } : {}),
    ...(opts.statePath ? { statePath: opts.statePath } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const persister = new StatePersister(state, opts.statePath);
  persister.saveNow();
  const tokens: TokenIssuer = createTokenIssuer(ca.tokenSigningKeyPem);
  const random = seededRandom(state.behaviour.seed ?? 1);
  const log = new RequestLog();
  const listeners = new Set<(e: ResponseEvent) => void>();
  const sockets = new Set<Duplex>();
  const changed = () => persister.changed();
  let closing = false;

  const track = (s: Duplex) => {
    if (closing) { s.destroy(); return; }
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  };

  const record = (sreq: Pick<SandboxRequest, "seq" | "method" | "host" | "path" | "query">, status: number, notes: RequestNotes) => {
    log.add({
      seq: sreq.seq, time: new Date(state.now()).toISOString(), method: sreq.method, host: sreq.host, path: sreq.path,
      query: queryObject(sreq.query), status, principal: notes.principal ?? null, subscription: notes.subscription ?? null,
      kind: notes.kind ?? kindOfMethod(sreq.method), throttled: notes.throttled ?? false,
    });
  };

  async function serve(req: IncomingMessage, res: ServerResponse, host: string, admin: boolean, target: string): Promise<void> {
    const body = await readBody(req);
    const url = new URL(`https://${host}${collapseSlashes(target.startsWith("/") ? target : `/${target}`)}`);
    const sreq: SandboxRequest = {
      seq: log.nextSeq(), method: (req.method ?? "GET").toUpperCase(), host, path: url.pathname, query: url.searchParams,
      headers: req.headers, body,
    };
    const notes: RequestNotes = {};
    let response: SandboxResponse;
    try {
      if (admin) {
        response = handleAdmin(sreq, { state, requests: () => log.all(), changed });
      } else {
        response = await serveTunneled(sreq, notes);
      }
    } catch (e) {
      if (e instanceof HttpError) {
        response = e.response;
      } else {
        console.error(`sandbox: ${sreq.method} https://${host}${sreq.path} failed:`, (e as Error)?.stack ?? e);
        response = { status: 500, body: { error: { code: "InternalServerError", message: (e as Error)?.message ?? String(e) } } };
      }
    }
    // A change is on disk before the response that reports it leaves (survives SIGKILL).
    try {
      persister.flush();
    } catch (e) {
      console.error("sandbox: could not save the state file:", (e as Error)?.stack ?? e);
    }
    if (response.drop) {
      record(sreq, 0, notes);
      req.socket.destroy();
      return;
    }
    if (response.hang) {
      // Logged now (status 0), answered never: the client's own timeout must end it; close() destroys it.
      record(sreq, 0, notes);
      track(req.socket);
      return;
    }
    const event = writeResponse(res, sreq.method, response);
    record(sreq, response.status, notes);
    const ev: ResponseEvent = { seq: sreq.seq, method: sreq.method, host, path: sreq.path, query: queryObject(sreq.query), ...event };
    for (const l of listeners) {
      try { l(ev); } catch (e) { console.error("sandbox: onResponse listener failed:", (e as Error)?.stack ?? e); }
    }
  }

  async function serveTunneled(sreq: SandboxRequest, notes: RequestNotes): Promise<SandboxResponse> {
    const latency = state.behaviour.latencyMs ?? 0;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const fault = requestFault(state, random, sreq.method, sreq.host, sreq.path, changed);
    if (fault) return fault.drop ? { status: 0, drop: true } : "hang" in fault ? { status: 0, hang: true } : fault.response;
    const handler = handlerForHost(state, sreq.host);
    if (!handler) {
      // The vault was deleted after its tunnel was opened.
      return { status: 404, body: { error: { code: "NotFound", message: `The sandbox no longer serves ${sreq.host}.` } } };
    }
    const ctx: SandboxContext = {
      state, tokens, random, notes, changed,
      stuckStateFor: (method, host, p) => stuckState(state, random, method, host, p, changed),
    };
    return await handler(sreq, ctx);
  }

  const inner = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    const host = tunnelHost.get(req.socket) ?? (req.headers.host ?? "").split(":")[0]?.toLowerCase() ?? "";
    serve(req, res, host, false, req.url ?? "/").catch((e) => fail(res, e));
  });

  const proxy: Server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    // Plain requests to the proxy port: the admin API, in origin form or — through an SDK pipeline
    // that applies HTTPS_PROXY to http:// URLs too — in absolute form (SDK-RECIPE §3, §9.9).
    let target = req.url ?? "/";
    if (/^https?:\/\//i.test(target)) {
      const u = new URL(target);
      target = u.pathname + u.search;
    }
    const pathOnly = collapseSlashes(target).split("?")[0] ?? "";
    if (pathOnly === "/_sandbox" || pathOnly.startsWith("/_sandbox/")) {
      serve(req, res, "127.0.0.1", true, target).catch((e) => fail(res, e));
      return;
    }
    req.resume();
    writeResponse(res, req.method ?? "GET", { status: 404, body: { error: { code: "NotFound",
      message: `The sandbox proxy serves CONNECT tunnels and the admin API under /_sandbox/; not ${req.method} ${req.url}.` } } });
  });
  proxy.on("connection", track);
  attachConnect(proxy, inner, {
    secureContext: createSecureContext({ cert: ca.leafCertPem, key: ca.leafKeyPem }),
    serves: (host) => handlerForHost(state, host) !== undefined,
    refused: (host, port, status) => {
      record({ seq: log.nextSeq(), method: "CONNECT", host, path: `${host}:${port}`, query: new URLSearchParams() }, status, {});
    },
    track,
  });

  await new Promise<void>((resolve, reject) => {
    proxy.once("error", reject);
    proxy.listen(opts.port ?? 0, "127.0.0.1", () => {
      proxy.off("error", reject);
      resolve();
    });
  });
  const address = proxy.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  const caCertPath = path.resolve(ca.caCertPath);

  return {
    port, proxyUrl: origin, adminUrl: origin, caCertPath, state, warnings,
    profile: () => ({
      formatVersion: 1, cloud: state.cloud, proxyUrl: origin, caCertPath, adminUrl: origin,
      tenantId: state.caller.tenantId, clientId: state.caller.clientId, clientSecret: state.caller.clientSecret,
    }),
    requests: () => log.all(),
    lastSeq: () => log.lastSeq(),
    onResponse(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    rotateKey(vault, key) {
      const out = rotateKeyIn(state, vault, key);
      changed();
      persister.flush();
      return out;
    },
    patchResource(id, patch) {
      const out = patchResourceIn(state, id, patch);
      changed();
      persister.flush();
      return out;
    },
    setFaults(rules) {
      const out = setFaultsIn(state, rules);
      changed();
      persister.flush();
      return out;
    },
    async close() {
      if (closing) return;
      closing = true;
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      for (const s of sockets) s.destroy();
      proxy.closeAllConnections();
      await closed;
      persister.close();
    },
  };
}

function fail(res: ServerResponse, e: unknown): void {
  console.error("sandbox: request failed:", (e as Error)?.stack ?? e);
  if (!res.headersSent) writeResponse(res, "GET", { status: 500, body: { error: { code: "InternalServerError", message: String((e as Error)?.message ?? e) } } });
  else res.destroy();
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Serialize a SandboxResponse; returns what observers see (lower-case headers, parsed JSON body). */
function writeResponse(res: ServerResponse, method: string, r: SandboxResponse): { status: number; headers: Record<string, string>; body: unknown } {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
  let payload: Buffer | undefined;
  let parsed: unknown;
  if (r.body === undefined || r.body === null && r.status === 204) {
    payload = undefined;
  } else if (Buffer.isBuffer(r.body)) {
    payload = r.body;
  } else if (typeof r.body === "string") {
    payload = Buffer.from(r.body);
    headers["content-type"] ??= "text/plain; charset=utf-8";
    if (/json/i.test(headers["content-type"] ?? "")) {
      try { parsed = JSON.parse(r.body); } catch { parsed = undefined; }
    }
  } else {
    const text = JSON.stringify(r.body);
    payload = Buffer.from(text);
    parsed = JSON.parse(text);
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  headers["x-ms-request-id"] ??= randomUUID();
  headers["content-length"] = String(payload?.length ?? 0);
  res.writeHead(r.status, headers);
  res.end(method === "HEAD" ? undefined : payload);
  return { status: r.status, headers, body: parsed };
}

/** Write the connection profile atomically (atomic-file.ts; mode 0600: it holds the fake secret). */
export function writeProfile(profilePath: string, profile: SandboxProfile): void {
  writeFileAtomic(profilePath, JSON.stringify(profile, null, 2) + "\n");
}
