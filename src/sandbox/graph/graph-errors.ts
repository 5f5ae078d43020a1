// Microsoft Graph's error body: { error: { code, message, innerError: { date, request-id,
// client-request-id } } } (Microsoft Graph REST API, "Error responses and resource types").
import { randomUUID } from "node:crypto";
import type { SandboxRequest, SandboxResponse } from "../http.js";

export function graphClientRequestId(req: SandboxRequest): string | undefined {
  for (const name of ["client-request-id", "x-ms-client-request-id"]) {
    const v = req.headers[name];
    if (typeof v === "string" && v.length > 0) return v;
  }
  return undefined;
}

export function graphHeaders(req: SandboxRequest, requestId: string): Record<string, string> {
  const clientRequestId = graphClientRequestId(req) ?? requestId;
  return { "request-id": requestId, "client-request-id": clientRequestId, "cache-control": "no-cache" };
}

export function graphError(req: SandboxRequest, nowMs: number, status: number, code: string, message: string,
  extraHeaders: Record<string, string> = {}): SandboxResponse {
  const requestId = randomUUID();
  const headers = { ...graphHeaders(req, requestId), ...extraHeaders };
  return {
    status,
    headers,
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date(nowMs).toISOString().replace(/\.\d+Z$/, ""),
          "request-id": requestId,
          "client-request-id": headers["client-request-id"],
        },
      },
    },
  };
}
