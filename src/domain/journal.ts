// The run journal, NAME.journal.jsonl (DESIGN.md "Files the tool owns"): one fsynced JSON record per
// transition, appended before anyone (UI, stdout) hears of it. Resume = replay. A contract: `status` and
// users' scripts read it.

export const JOURNAL_VERSION = 1;

export type JournalRecordType =
  | "run-started"
  | "step-started"
  | "step-operation-accepted"
  | "step-succeeded"
  | "step-failed"
  | "step-skipped"
  | "run-finished";

export interface JournalError {
  code: string;
  message: string;
  requestId: string | null;
}

export interface JournalRecord {
  v: 1;
  /**
   * 1-based, increasing within the file (across runs) as one runner writes it. Two runners writing at once
   * (a forced unlock) may repeat it: readers order records by line, not by seq.
   */
  seq: number;
  /** ISO-8601 from the injected clock. */
  at: string;
  /** run-started: the plan this journal belongs to (its planId and digest); a journal of another plan is refused. */
  planId?: string;
  digest?: string;
  /** One per `apply` invocation (a resume is a new run of the same plan). */
  runId: string;
  type: JournalRecordType;
  stepId?: string;
  /** 1-based attempt of the step within this plan's whole history. */
  attempt?: number;
  /** Azure-AsyncOperation / Location URL of a long-running operation, journaled so a crash can keep polling it. */
  operationUrl?: string;
  /** step-succeeded: the values later steps reference with $fromStep (e.g. principalId). */
  outputs?: Record<string, string>;
  error?: JournalError;
  /**
   * step-succeeded: "created" | "already-satisfied" | "reconciled"; step-skipped: "upstream-failed" |
   * "interrupted"; run-started: "resume" | "lock-taken-over:<pid>@<host>"; run-finished: "completed" |
   * "failed-steps" | "interrupted".
   */
  reason?: string;
}

/** What a step is, replayed from the journal. */
export type StepStatus = "pending" | "in-doubt" | "succeeded" | "failed" | "skipped";

export interface StepState {
  stepId: string;
  status: StepStatus;
  attempts: number;
  /**
   * Last journaled operation URL of an in-doubt long-running step; a resumed attempt inherits it (the
   * operation may still run), until a new URL is journaled or the step ends.
   */
  operationUrl: string | null;
  /** `at` of the first record naming that operation URL: the operation timeout runs from here, across resumes. */
  operationStartedAt: string | null;
  /** In doubt because two runners journaled outcomes that disagree (replay.ts); reconciled by reading Azure. */
  conflict: boolean;
  outputs: Record<string, string> | null;
  error: JournalError | null;
  reason: string | null;
}
