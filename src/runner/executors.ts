// The executor of each step kind (src/runner/executor.ts contract), as the run engine looks them up.
import type { StepKind } from "../domain/plan.js";
import type { StepExecutor } from "./executor.js";
import { fhirServiceExecutor } from "./step-fhir-service.js";
import { identityExecutor } from "./step-identity.js";
import { keyAccessPolicyExecutor } from "./step-key-access-policy.js";
import { resourceGroupExecutor } from "./step-resource-group.js";
import { dataRoleExecutor, keyRoleExecutor } from "./step-role-assignment.js";
import { workspaceExecutor } from "./step-workspace.js";

export const EXECUTORS: Record<StepKind, StepExecutor> = {
  "ensure-resource-group": resourceGroupExecutor,
  "ensure-workspace": workspaceExecutor,
  "ensure-identity": identityExecutor,
  "grant-key-role": keyRoleExecutor,
  "grant-key-access-policy": keyAccessPolicyExecutor,
  "create-fhir-service": fhirServiceExecutor,
  "grant-data-role": dataRoleExecutor,
};
