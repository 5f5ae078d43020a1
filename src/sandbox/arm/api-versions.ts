// The api-versions ARM accepts per resource type. Azure accepts every version a resource provider has
// registered, not only the newest (SDK-RECIPE §9.6), so each list holds the versions that exist: the
// published spec versions (azure-facts §1.1, ../shared/specs/INDEX.md) plus what each pinned SDK client
// sends (arm-resources-subscriptions 2.1.0: 2022-12-01; arm-msi 2.2.0: 2024-11-30; arm-authorization 9.0.0:
// 2022-04-01 for role assignments, definitions and permissions; arm-keyvault 5.0.0: 2026-02-01, and
// 2015-11-01 for the generic resources list behind vaults.list()).

const HEALTHCARE = [
  "2025-10-01-preview", "2025-04-01-preview", "2025-03-01-preview", "2024-03-31", "2024-03-01", "2023-12-01", "2023-11-01",
  "2023-09-06", "2023-02-28", "2022-12-01", "2022-10-01-preview", "2022-06-01", "2022-05-15", "2022-01-31-preview",
  "2021-11-01", "2021-06-01-preview", "2021-01-11", "2020-03-30", "2020-03-15", "2019-09-16", "2018-08-20-preview",
];

const KEYVAULT = [
  "2026-05-15", "2026-04-01", "2026-04-01-preview", "2026-03-01-preview", "2026-02-01", "2025-05-01", "2024-12-01-preview",
  "2024-11-01", "2024-04-01-preview", "2023-08-01-preview", "2023-07-01", "2023-02-01", "2022-11-01", "2022-07-01",
  "2022-02-01-preview", "2021-11-01-preview", "2021-10-01", "2021-06-01-preview", "2021-04-01-preview", "2020-04-01-preview",
  "2019-09-01", "2018-02-14", "2018-02-14-preview", "2016-10-01", "2015-06-01",
];

// Microsoft.Resources (resource groups, generic resources): the RP's long list of registered versions.
const RESOURCES = [
  "2025-04-01", "2025-03-01", "2024-11-01", "2024-07-01", "2024-03-01", "2023-07-01", "2022-09-01", "2022-05-01",
  "2022-03-01", "2022-01-01", "2021-04-01", "2021-01-01", "2020-10-01", "2020-08-01", "2020-06-01", "2020-01-01",
  "2019-11-01", "2019-10-01", "2019-09-01", "2019-08-01", "2019-07-01", "2019-06-01", "2019-05-10", "2019-05-01",
  "2019-03-01", "2018-11-01", "2018-09-01", "2018-08-01", "2018-07-01", "2018-06-01", "2018-05-01", "2018-02-01",
  "2018-01-01", "2017-12-01", "2017-08-01", "2017-06-01", "2017-05-10", "2017-05-01", "2017-03-01", "2016-09-01",
  "2016-07-01", "2016-06-01", "2016-02-01", "2015-11-01", "2015-01-01", "2014-04-01-preview", "2014-04-01", "2014-01-01",
];

const SUBSCRIPTIONS = [
  "2025-03-01", "2024-11-01", "2022-12-01", "2022-09-01", "2022-01-01", "2021-04-01", "2021-01-01", "2020-10-01",
  "2020-01-01", "2019-11-01", "2019-10-01", "2019-06-01", "2019-05-10", "2019-05-01", "2018-06-01", "2018-05-01",
  "2018-02-01", "2017-08-01", "2016-06-01", "2016-02-01", "2015-11-01", "2015-01-01", "2014-04-01",
];

const AUTHORIZATION = [
  "2022-08-01-preview", "2022-05-01-preview", "2022-04-01", "2022-01-01-preview", "2021-12-01-preview", "2021-04-01-preview",
  "2021-03-01-preview", "2021-01-01-preview", "2020-10-01-preview", "2020-10-01", "2020-08-01-preview", "2020-04-01-preview",
  "2020-03-01-preview", "2019-09-01-preview", "2019-08-01-preview", "2018-09-01-preview", "2018-07-01-preview", "2018-07-01",
  "2018-01-01-preview", "2017-10-01-preview", "2017-09-01", "2017-05-01", "2016-09-01", "2015-07-01", "2015-06-01",
  "2015-05-01-preview", "2015-01-01", "2014-10-01-preview", "2014-07-01-preview", "2014-04-01-preview",
];

const MANAGED_IDENTITY = [
  "2025-01-31-preview", "2024-11-30", "2023-07-31-preview", "2023-01-31", "2022-01-31-preview", "2021-09-30-preview",
  "2018-11-30", "2015-08-31-preview",
];

const STORAGE = [
  "2025-06-01", "2025-01-01", "2024-01-01", "2023-05-01", "2023-04-01", "2023-01-01", "2022-09-01", "2022-05-01",
  "2021-09-01", "2021-08-01", "2021-06-01", "2021-04-01", "2021-02-01", "2021-01-01", "2020-08-01-preview", "2019-06-01",
  "2019-04-01", "2018-11-01", "2018-07-01", "2018-03-01-preview", "2018-02-01", "2017-10-01", "2017-06-01", "2016-12-01",
  "2016-05-01", "2016-01-01", "2015-06-15", "2015-05-01-preview",
];

const CONTAINER_REGISTRY = [
  "2025-11-01", "2025-05-01-preview", "2025-04-01", "2025-03-01-preview", "2024-11-01-preview", "2023-11-01-preview",
  "2023-08-01-preview", "2023-07-01", "2023-06-01-preview", "2023-01-01-preview", "2022-12-01", "2022-02-01-preview",
  "2021-12-01-preview", "2021-09-01", "2021-08-01-preview", "2021-06-01-preview", "2020-11-01-preview", "2019-12-01-preview",
  "2019-06-01-preview", "2019-05-01", "2019-04-01", "2017-10-01", "2017-06-01-preview", "2017-03-01", "2016-06-27-preview",
];

/** Exact resource type (lower-cased) first, then its namespace. */
const BY_TYPE: Record<string, string[]> = {
  "microsoft.resources/subscriptions": SUBSCRIPTIONS,
  "microsoft.resources/tenants": SUBSCRIPTIONS,
  "microsoft.resources/resourcegroups": RESOURCES,
  "microsoft.resources/resources": RESOURCES,
};

const BY_NAMESPACE: Record<string, string[]> = {
  "microsoft.healthcareapis": HEALTHCARE,
  "microsoft.keyvault": KEYVAULT,
  "microsoft.resources": RESOURCES,
  "microsoft.authorization": AUTHORIZATION,
  "microsoft.managedidentity": MANAGED_IDENTITY,
  "microsoft.storage": STORAGE,
  "microsoft.containerregistry": CONTAINER_REGISTRY,
};

/** Versions accepted for `resourceType` (newest first); empty when the sandbox does not know the type. */
export function supportedApiVersions(resourceType: string): string[] {
  const t = resourceType.toLowerCase();
  return BY_TYPE[t] ?? BY_NAMESPACE[t.split("/")[0] ?? ""] ?? [];
}

export function isSupportedApiVersion(resourceType: string, apiVersion: string): boolean {
  const v = apiVersion.toLowerCase();
  return supportedApiVersions(resourceType).some((x) => x.toLowerCase() === v);
}
