// Findings and verdicts: the vocabulary of FINDINGS.md (a contract: codes never change meaning).

export type Severity = "info" | "action" | "blocker";
export type Verdict = "ready" | "needs-action" | "blocked";

export const FINDING_CODES = {
  "source-not-succeeded": "blocker",
  "region-unsupported": "blocker",
  "key-not-found": "blocker",
  "key-cross-tenant": "blocker",
  "key-access-denied": "action",
  "caller-cannot-grant": "action",
  "principals-unverified": "action",
  "grant-target-not-found": "action",
  "key-type-unsupported": "action",
  "key-disabled": "action",
  "key-expired": "action",
  "key-not-yet-valid": "action",
  "key-name-too-long": "action",
  "vault-soft-delete-off": "action",
  "vault-purge-protection-off": "action",
  "vault-region-mismatch": "action",
  "vault-firewall-blocks-trusted-services": "action",
  "access-policy-foreign-principal": "action",
  "custom-authority": "action",
  "smart-proxy-enabled": "action",
  "kind-unversioned": "action",
  "private-endpoints": "action",
  "fhir-service-quota": "action",
  "cmk-not-configured": "info",
  "cmk-residency-app": "info",
  "key-version-pinned": "info",
  "vault-access-policy-model": "info",
  "local-rbac-mapped": "info",
  "kind-stu3": "info",
  "export-storage": "info",
  "acr-configured": "info",
  "target-name-derived": "info",
  "target-exists": "info",
  // Codes this tool adds in FINDINGS.md's style (src/assess/README.md "Codes added here").
  "target-name-conflict": "action",
  "source-private-network": "action",
  "rbac-assignments-unreadable": "action",
  "rbac-custom-role-unmapped": "action",
  "rbac-condition-not-copied": "action",
  "rbac-data-roles-copied": "info",
  "rbac-inherited-data-access": "info",
  "rbac-principal-not-found": "info",
} as const satisfies Record<string, Severity>;

export type FindingCode = keyof typeof FINDING_CODES;

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** Present for blocker and action findings. */
  fix?: string;
}

/** Action findings that `plan --accept` may accept instead of fixing (FINDINGS.md). */
export const ACCEPTABLE_CODES: readonly FindingCode[] = [
  "custom-authority", "smart-proxy-enabled", "private-endpoints", "access-policy-foreign-principal",
  "principals-unverified", "grant-target-not-found", "fhir-service-quota",
  // Added here (src/assess/README.md "Codes added here"): accepting one leaves that grant to the user.
  "rbac-assignments-unreadable", "rbac-custom-role-unmapped", "rbac-condition-not-copied", "source-private-network",
];

export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.severity === "blocker")) return "blocked";
  if (findings.some((f) => f.severity === "action")) return "needs-action";
  return "ready";
}
