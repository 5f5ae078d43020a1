// ensure-workspace: Workspaces_CreateOrUpdate (long-running, 201 + Azure-AsyncOperation). An existing
// workspace is fine as long as the fields the plan sets (location, tags) match. Workspace names are unique
// across subscriptions: a name taken where the planner could not see (another tenant's or an unlisted
// subscription) fails the create, and that failure is named with the next step (issue 9). How Azure words
// it is UNCONFIRMED (Services_CheckNameAvailability is documented for service instances only, so the
// planner does not ask it about workspaces): any code or message saying the name is unavailable counts.
import type { JournalError } from "../domain/journal.js";
import type { StepExecutor } from "./executor.js";
import { asOutcome, ensureResource, failed } from "./step-common.js";
import { lastSegment } from "./step-resource-group.js";

export const WORKSPACE_NAME_TAKEN = "WorkspaceNameTaken";

const NAME_UNAVAILABLE = /name\s*(is\s*)?(not\s*available|unavailable|already\s*(exists|in\s*use|taken)|taken|in\s*use)|NameNotAvailable|NameUnavailable|NameInUse/i;

/** Whether an ARM error says the workspace name is held by someone else. */
export function isNameUnavailable(error: JournalError): boolean {
  return NAME_UNAVAILABLE.test(error.code) || NAME_UNAVAILABLE.test(error.message);
}

export const workspaceExecutor: StepExecutor = {
  kind: "ensure-workspace",
  execute: async (step, ctx) => {
    const name = lastSegment(step.request.url);
    const outcome = await asOutcome(() => ensureResource(step, ctx, { what: `Workspace ${name}` }));
    if (outcome.status !== "failed" || !isNameUnavailable(outcome.error)) return outcome;
    return failed(WORKSPACE_NAME_TAKEN,
      `Workspace name ${name} is taken in Azure (workspace names are unique across subscriptions, even ones you cannot see). ` +
      `Azure said ${outcome.error.code}: ${outcome.error.message} Plan this account again with --name ${step.accountId}=OTHERNAME.`,
      outcome.error.requestId);
  },
};
