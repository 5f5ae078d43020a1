// Providers_Get (Microsoft.Resources; the spec is not among ../shared/specs, shape from Learn "Providers -
// Get"): `GET /subscriptions/{s}/providers/{namespace}` answers the namespace's registration and, per
// resource type, its locations and api-versions. Only Microsoft.HealthcareApis is modelled (the product reads
// nothing else); another namespace is 404 InvalidResourceNamespace. Whoever may see the subscription may read
// it (UNCONFIRMED: src/sandbox/README.md "Choices resting on UNCONFIRMED facts").
import { armError, HttpError, json } from "../http.js";
import { supportedApiVersions } from "./api-versions.js";
import { HEALTHCARE_TYPES, providerLocations } from "./provider-locations.js";
import { hasAnyRoleTouching } from "./rbac.js";
import type { ArmRoute } from "./route.js";
import { authorizationFailed } from "./routes-common.js";

const READ = "Microsoft.Resources/subscriptions/providers/read";

export const providerRoutes: ArmRoute[] = [
  {
    method: "GET", pattern: "/subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}",
    resourceType: "Microsoft.Resources/providers", action: READ, kind: "read", skipAuthorization: true,
    handle: (c) => {
      const state = c.ctx.state;
      const sub = state.subscription(c.params.subscriptionId!)!;
      const scope = `/subscriptions/${sub.subscriptionId}`;
      if (!hasAnyRoleTouching(state, c.claims.oid, scope)) return authorizationFailed(c.claims.oid, READ, scope);
      const ns = c.params.resourceProviderNamespace!;
      if (ns.toLowerCase() !== "microsoft.healthcareapis") {
        throw new HttpError(armError(404, "InvalidResourceNamespace", `The resource namespace '${ns}' is invalid.`));
      }
      return json(200, {
        id: `${scope}/providers/Microsoft.HealthcareApis`,
        namespace: "Microsoft.HealthcareApis",
        registrationState: "Registered",
        registrationPolicy: "RegistrationRequired",
        resourceTypes: HEALTHCARE_TYPES.map((t) => ({
          resourceType: t,
          locations: providerLocations(state.cloud, sub, t),
          apiVersions: supportedApiVersions(`Microsoft.HealthcareApis/${t}`),
          capabilities: "SystemAssignedResourceIdentity",
        })),
      });
    },
  },
];
