// The request log behind GET /_sandbox/requests: one entry per tunneled or admin request (and per
// refused CONNECT), with what the handlers noted about principal, subscription and kind.
import type { OperationKind } from "./http.js";

export interface RequestLogEntry {
  seq: number;
  /** ISO time from the sandbox clock. */
  time: string;
  method: string;
  host: string;
  path: string;
  query: Record<string, string>;
  status: number;
  principal: string | null;
  subscription: string | null;
  kind: OperationKind;
  throttled: boolean;
}

/** ARM's classification when a handler noted none: GET/HEAD read, DELETE delete, anything else write. */
export function kindOfMethod(method: string): OperationKind {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD" || m === "OPTIONS") return "read";
  if (m === "DELETE") return "delete";
  return "write";
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  /** The seq of the last request that arrived (its entry is added once it is answered). */
  lastSeq(): number {
    return this.seq;
  }

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  all(): RequestLogEntry[] {
    return [...this.entries].sort((a, b) => a.seq - b.seq);
  }
}

/** URLSearchParams → plain object (last value wins; names already decoded). */
export function queryObject(q: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of q) out[k] = v;
  return out;
}
