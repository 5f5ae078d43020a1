// The sandbox's request/response vocabulary, shared by every host it serves (Entra, ARM, Graph,
// Key Vault, admin). Handlers are plain functions from a parsed request to a response value; the
// server (server.ts) owns sockets, TLS, logging, latency and faults.
import type { IncomingHttpHeaders } from "node:http";

export type OperationKind = "read" | "write" | "delete";

export interface SandboxRequest {
  /** Sequence number in the request log. */
  seq: number;
  method: string;
  /** Lower-case host name without port (the CONNECT target / SNI), e.g. "management.azure.com". */
  host: string;
  /** Path with repeated slashes collapsed, still percent-encoded per segment, no query. */
  path: string;
  /** Query with names (and values) percent-decoded: `api%2Dversion` arrives as `api-version` (SDK-RECIPE §5). */
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** A JSON value (serialized with content-type application/json) or a raw string. */
  body?: unknown;
  /** Set to drop the connection without answering (fault injection). */
  drop?: boolean;
  /** Set to never answer (fault injection): the socket stays open until the client or close() ends it. */
  hang?: boolean;
}

/** What a handler may note about the request for the request log (GET /_sandbox/requests). */
export interface RequestNotes {
  principal?: string;
  subscription?: string;
  kind?: OperationKind;
  throttled?: boolean;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body, headers };
}

/** ARM error body `{ error: { code, message } }` (common-types ErrorResponse / CloudError). */
export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body: { error: { code, message } }, headers };
}

/** Parse the body as JSON; undefined for an empty body; throws BadRequestError on malformed JSON. */
export function readJson(req: SandboxRequest): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString("utf8"));
  } catch {
    throw new HttpError(armError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized."));
  }
}

/** Thrown by a handler to answer with `response` (an error shape already in the right dialect). */
export class HttpError extends Error {
  constructor(public readonly response: SandboxResponse) {
    super(`HTTP ${response.status}`);
    this.name = "HttpError";
  }
}

/** Percent-decoded path segments, empty segments removed. */
export function segments(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0).map((s) => {
    try { return decodeURIComponent(s); } catch { return s; }
  });
}
