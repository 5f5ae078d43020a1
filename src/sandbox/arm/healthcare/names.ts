// Name rules the HealthcareApis RP applies on create (azure-facts §1.2, §2.2, §2.3). The spec gives only
// lengths (3–24) for workspaceName / fhirServiceName; the character rules are UNCONFIRMED and chosen here
// (listed in src/sandbox/README.md "Choices resting on UNCONFIRMED facts").

/** Workspace names: 3–24 lower-case letters and digits (UNCONFIRMED: spec gives only the length). */
export const WORKSPACE_NAME = /^[a-z0-9]{3,24}$/;

/**
 * FHIR service names: 3–24 lower-case letters, digits and hyphens, starting and ending with a letter or
 * digit (UNCONFIRMED: spec gives the length; the character set follows the spec's ResourceCore name
 * pattern `^[a-z0-9][a-z0-9-]{1,21}[a-z0-9]$` widened to 24). `{ws}-{svc}` stays a valid DNS label.
 */
export const FHIR_SERVICE_NAME = /^[a-z0-9][a-z0-9-]{1,22}[a-z0-9]$/;

export interface RuleFailure { status: number; code: string; message: string }

export function workspaceNameFailure(name: string): RuleFailure | undefined {
  if (WORKSPACE_NAME.test(name)) return undefined;
  return {
    status: 400, code: "InvalidWorkspaceName",
    message: `The workspace name '${name}' is invalid. It must be 3 to 24 characters long and contain only lower-case letters and digits.`,
  };
}

export function fhirServiceNameFailure(name: string): RuleFailure | undefined {
  if (FHIR_SERVICE_NAME.test(name)) return undefined;
  return {
    status: 400, code: "InvalidFhirServiceName",
    message: `The FHIR service name '${name}' is invalid. It must be 3 to 24 characters long, contain only lower-case letters, digits and hyphens, and start and end with a letter or digit.`,
  };
}

/** ARM location names compare lower-cased with spaces removed ("West US 2" = "westus2"). */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}
