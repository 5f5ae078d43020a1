// The error taxonomy (STYLE.md "A small error taxonomy with one handler"). Plain classes with a fixed
// `name`, so callers check `err.name === "UserError"` across module copies and realms, never instanceof.
// Only the CLI's handler (src/cli/error-handler.ts) prints errors and turns them into exit codes.
// This folder imports nothing of ours and does no I/O.

/** Expected failure the user can fix; `nextSteps` say how. Exit code 1. */
export class UserError extends Error {
  override readonly name = "UserError";
  readonly nextSteps: string[];
  constructor(message: string, nextSteps: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.nextSteps = nextSteps;
  }
}

/** Usage error or malformed input (bad flags, not JSON, schema-invalid file). Exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly nextSteps: string[];
  constructor(message: string, nextSteps: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.nextSteps = nextSteps;
  }
}

/** A broken invariant in our own code. Exit code 1, always with a hint to report it. */
export class BugError extends Error {
  override readonly name = "BugError";
}

/** The user interrupted the work (Ctrl-C). Exit code 130; `resumeCommand` is printed when known. */
export class CancelledError extends Error {
  override readonly name = "CancelledError";
  readonly resumeCommand: string | undefined;
  constructor(message = "Interrupted.", resumeCommand?: string) {
    super(message);
    this.resumeCommand = resumeCommand;
  }
}

export interface AzureErrorDetails {
  /** HTTP status, when there was a response. */
  status?: number;
  /** ARM / Key Vault / Entra error code (`AuthorizationFailed`, `KeyDisabled`, `AADSTS7000215`…). */
  code?: string;
  /** `x-ms-request-id` of the failed response, for support tickets. */
  requestId?: string;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/** A call to Azure failed. Exit code 1. */
export class AzureError extends Error {
  override readonly name = "AzureError";
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: AzureErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
    this.retryable = details.retryable ?? false;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** A source fact the plan relies on changed since planning. Exit code 3. */
export class StalePlanError extends Error {
  override readonly name = "StalePlanError";
  readonly nextSteps: string[];
  constructor(message: string, nextSteps: string[] = []) {
    super(message);
    this.nextSteps = nextSteps;
  }
}

/** Another runner holds the plan's lock. Exit code 3. */
export class LockHeldError extends Error {
  override readonly name = "LockHeldError";
  readonly nextSteps: string[];
  constructor(message: string, nextSteps: string[] = []) {
    super(message);
    this.nextSteps = nextSteps;
  }
}

/** Unknown plan formatVersion or digest mismatch. Exit code 3. */
export class PlanFormatError extends Error {
  override readonly name = "PlanFormatError";
  readonly nextSteps: string[];
  constructor(message: string, nextSteps: string[] = []) {
    super(message);
    this.nextSteps = nextSteps;
  }
}

export const ERROR_NAMES = [
  "UserError", "UsageError", "BugError", "CancelledError", "AzureError", "StalePlanError", "LockHeldError",
  "PlanFormatError",
] as const;

export type ErrorName = (typeof ERROR_NAMES)[number];

/** True when `err` is one of ours with that name (works across module copies: no instanceof). */
export function isErrorNamed(err: unknown, name: ErrorName): boolean {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === name;
}
