// The clients the read-* functions use: the part of the limiter's AzureSession (azure-session.ts) they need,
// so every read goes through the shared queue, ARM buckets and retry budget.
import type { AzureSession } from "./azure-session.js";

export type ReadSession = Pick<AzureSession, "cloud" | "credential" | "subscriptions" | "arm" | "keys" | "graph">;
