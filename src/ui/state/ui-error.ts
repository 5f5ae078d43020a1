// Errors as the UI shows them: one line and one next step (the CLI's error handler would print the same,
// src/domain/errors.ts). Pure; used by the app reducer and App.tsx.
import type { InventoryView } from "../inventory-view.js";

export interface UiError {
  message: string;
  nextStep: string | undefined;
}

/** Nothing listable is an error with a next step, not an empty list (a subscription-less sign-in). */
export function nothingListable(inv: InventoryView): UiError | null {
  if (inv.subscriptions.length === 0) {
    const first = inv.errors[0];
    if (first) {
      return { message: first.message,
        nextStep: "Sign in again ('az login', or check --profile), then run 'ahds-migrate doctor' to see what the sign-in can reach." };
    }
    return { message: `The signed-in principal sees no subscriptions in tenant ${inv.tenantId || "(unknown)"} (${inv.cloud}).`,
      nextStep: "Grant it Reader on the subscriptions to migrate, or choose the cloud with --cloud AzureUSGovernment." };
  }
  if (inv.accounts.length === 0 && inv.subscriptions.every((s) => s.error !== null)) {
    return { message: `None of the ${inv.subscriptions.length} subscriptions could be listed: ${inv.subscriptions[0]!.error}`,
      nextStep: "Ask for Reader on the subscriptions, then run 'ahds-migrate inventory' to see each one's error." };
  }
  return null;
}

/** The error the loader threw, as one line and its first next step (errors carry `nextSteps`, src/domain/errors.ts). */
export function uiErrorOf(err: unknown): UiError {
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as { message?: unknown; nextSteps?: unknown };
  const raw = typeof e.message === "string" && e.message.trim() !== "" ? e.message : String(err);
  const message = (raw.split("\n").find((l) => l.trim() !== "") ?? raw).trim();
  const steps = Array.isArray(e.nextSteps) ? e.nextSteps.filter((x): x is string => typeof x === "string") : [];
  return { message, nextStep: steps[0] ?? "Run 'ahds-migrate doctor' to check sign-in and the subscriptions visible." };
}
