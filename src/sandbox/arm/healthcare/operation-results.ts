// GET /subscriptions/{s}/providers/Microsoft.HealthcareApis/locations/{loc}/operationresults/{id}: the
// RP's operation-status resource (spec OperationResultsDescription, azure-facts §2.1, §4.2). Always 200
// with `status`; `error{code,message}` on Failed/Canceled; Retry-After = remaining seconds while running.
import { json, type SandboxResponse } from "../../http.js";
import type { ArmCall } from "../route.js";
import { fail } from "./common.js";
import { operationResultBody, PROVIDER, retryAfterSeconds } from "./lro.js";
import { normalizeLocation } from "./names.js";

export function getOperationResult(c: ArmCall): SandboxResponse {
  const { state } = c.ctx;
  const id = (c.params["operationResultId"] ?? "").toLowerCase();
  const sub = (c.params["subscriptionId"] ?? "").toLowerCase();
  const loc = normalizeLocation(c.params["locationName"] ?? "");
  const op = [...state.operations.values()].find((o) => o.id.toLowerCase() === id && o.provider === PROVIDER
    && o.subscriptionId.toLowerCase() === sub && o.location === loc);
  if (!op) {
    throw fail(404, "ResourceNotFound", `The operation result '${c.params["operationResultId"]}' was not found in location '${c.params["locationName"]}'.`);
  }
  const now = state.now();
  const body = operationResultBody(op, now);
  return json(200, body, op.status ? {} : { "Retry-After": String(retryAfterSeconds(op, now)) });
}
