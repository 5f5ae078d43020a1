// Azure API for FHIR was retired on 30 Sep 2026 (azure-facts §1: "Microsoft deprecated Azure API for FHIR on
// September 30, 2026", S7/S20). Accounts that still answer do so under an extension (issue 9 §5), so every
// surface that lists them says so in one line, and no surface calls a migration complete before its data is
// copied (the data copy, `ahds-migrate sync`, is issue 11).

/** The one line the TUI header, the `inventory` summary and the plan Markdown carry (fits 100 columns). */
export const RETIREMENT_NOTICE =
  "Azure API for FHIR was retired on 30 Sep 2026; accounts that still answer run under an extension.";

/** Said where a run or a verify succeeds: the target is ready, its data is not there yet (fits 100 columns). */
export const DATA_NOT_COPIED =
  "The new FHIR services are empty: the data is not copied yet, so the migration is not complete.";
