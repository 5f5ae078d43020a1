// Built-in Azure role definitions the sandbox knows (azure-facts §2.6; permissions as published on
// Learn "Azure built-in roles"). GUIDs are identical in every cloud. Only the roles the tool grants,
// checks or meets are listed; their actions are the real ones, trimmed of providers we never serve.
import type { ArmResource } from "../estate-types.js";

export interface RolePermission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface BuiltInRole {
  guid: string;
  roleName: string;
  description: string;
  permissions: RolePermission[];
}

function perm(p: Partial<RolePermission>): RolePermission[] {
  return [{ actions: p.actions ?? [], notActions: p.notActions ?? [], dataActions: p.dataActions ?? [], notDataActions: p.notDataActions ?? [] }];
}

const KV_MGMT_READ = [
  "Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*",
  "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*", "Microsoft.KeyVault/checkNameAvailability/read",
  "Microsoft.KeyVault/deletedVaults/read", "Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/vaults/*/read",
  "Microsoft.KeyVault/operations/read",
];

const FHIR = (suffixes: string[]): string[] => suffixes.flatMap((s) => [
  `Microsoft.HealthcareApis/services/fhir/resources/${s}`,
  `Microsoft.HealthcareApis/workspaces/fhirservices/resources/${s}`,
]);

export const BUILT_IN_ROLES: BuiltInRole[] = [
  { guid: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", roleName: "Owner",
    description: "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
    permissions: perm({ actions: ["*"] }) },
  { guid: "b24988ac-6180-42a0-ab88-20f7382dd24c", roleName: "Contributor",
    description: "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
    permissions: perm({ actions: ["*"], notActions: [
      "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action",
      "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete",
      "Microsoft.Compute/galleries/share/action", "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
      "Microsoft.Resources/deploymentStacks/manageDenySetting/action", "Microsoft.Subscription/cancel/action",
      "Microsoft.Subscription/enable/action",
    ] }) },
  { guid: "acdd72a7-3385-48ef-bd42-f606fba81ae7", roleName: "Reader",
    description: "View all resources, but does not allow you to make any changes.",
    permissions: perm({ actions: ["*/read"] }) },
  { guid: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", roleName: "User Access Administrator",
    description: "Lets you manage user access to Azure resources.",
    permissions: perm({ actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"] }) },
  { guid: "f58310d9-a9f6-439a-9e8d-f62e7b41a168", roleName: "Role Based Access Control Administrator",
    description: "Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.",
    permissions: perm({ actions: [
      "Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete", "*/read", "Microsoft.Support/*",
    ] }) },
  { guid: "00482a5a-887f-4fb3-b363-3b7fe8e74483", roleName: "Key Vault Administrator",
    description: "Perform all data plane operations on a key vault and all objects in it, including certificates, keys, and secrets. Cannot manage key vault resources or manage role assignments. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: perm({ actions: KV_MGMT_READ, dataActions: ["Microsoft.KeyVault/vaults/*"] }) },
  { guid: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603", roleName: "Key Vault Crypto Officer",
    description: "Perform any action on the keys of a key vault, except manage permissions. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: perm({ actions: KV_MGMT_READ, dataActions: ["Microsoft.KeyVault/vaults/keys/*", "Microsoft.KeyVault/vaults/keyrotationpolicies/*"] }) },
  { guid: "12338af0-0e69-4776-bea7-57ae8d297424", roleName: "Key Vault Crypto User",
    description: "Perform cryptographic operations using keys. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: perm({ dataActions: [
      "Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/update/action", "Microsoft.KeyVault/vaults/keys/backup/action",
      "Microsoft.KeyVault/vaults/keys/encrypt/action", "Microsoft.KeyVault/vaults/keys/decrypt/action", "Microsoft.KeyVault/vaults/keys/wrap/action",
      "Microsoft.KeyVault/vaults/keys/unwrap/action", "Microsoft.KeyVault/vaults/keys/sign/action", "Microsoft.KeyVault/vaults/keys/verify/action",
    ] }) },
  { guid: "e147488a-f6f5-4113-8e2d-b22465e65bf6", roleName: "Key Vault Crypto Service Encryption User",
    description: "Read metadata of keys and perform wrap/unwrap operations. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: perm({
      actions: ["Microsoft.EventGrid/eventSubscriptions/write", "Microsoft.EventGrid/eventSubscriptions/read", "Microsoft.EventGrid/eventSubscriptions/delete"],
      dataActions: ["Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/wrap/action", "Microsoft.KeyVault/vaults/keys/unwrap/action"],
    }) },
  { guid: "21090545-7ca7-4776-b22c-e363652d74d2", roleName: "Key Vault Reader",
    description: "Read metadata of key vaults and its certificates, keys, and secrets. Cannot read sensitive values such as secret contents or key material. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: perm({ actions: KV_MGMT_READ, dataActions: ["Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"] }) },
  { guid: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", roleName: "Storage Blob Data Contributor",
    description: "Read, write, and delete Azure Storage containers and blobs.",
    permissions: perm({
      actions: [
        "Microsoft.Storage/storageAccounts/blobServices/containers/delete", "Microsoft.Storage/storageAccounts/blobServices/containers/read",
        "Microsoft.Storage/storageAccounts/blobServices/containers/write", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
      ],
      dataActions: [
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
      ],
    }) },
  { guid: "7f951dda-4ed3-4680-a7ca-43fe172d538d", roleName: "AcrPull",
    description: "acr pull", permissions: perm({ actions: ["Microsoft.ContainerRegistry/registries/pull/read"] }) },
  { guid: "5a1fc7df-4bf1-4951-a576-89034ee01acd", roleName: "FHIR Data Contributor",
    description: "Role allows user or principal full access to FHIR Data", permissions: perm({ dataActions: FHIR(["*"]) }) },
  { guid: "3db33094-8700-4567-8da5-1501d4e7e843", roleName: "FHIR Data Exporter",
    description: "Role allows user or principal to read and export FHIR Data", permissions: perm({ dataActions: FHIR(["read", "export/action"]) }) },
  { guid: "4465e953-8ced-4406-a58e-0f6e3f3b530b", roleName: "FHIR Data Importer",
    description: "Role allows user or principal to read and import FHIR Data", permissions: perm({ dataActions: FHIR(["read", "import/action"]) }) },
  { guid: "4c8d0bbc-75d3-4935-991f-5f3c56d81508", roleName: "FHIR Data Reader",
    description: "Role allows user or principal to read FHIR Data", permissions: perm({ dataActions: FHIR(["read"]) }) },
  { guid: "3f88fce4-5892-4214-ae73-ba5294559913", roleName: "FHIR Data Writer",
    description: "Role allows user or principal to read and write FHIR Data",
    permissions: perm({ dataActions: FHIR(["read", "write", "delete", "export/action", "resourceValidate/action", "reindex/action",
      "convertData/action", "editProfileDefinitions/action", "import/action"]) }) },
  { guid: "a1705bd2-3a8f-45a5-8683-466fcfd5cc24", roleName: "FHIR Data Converter",
    description: "Role allows user or principal to convert data from legacy format to FHIR", permissions: perm({ dataActions: FHIR(["convertData/action"]) }) },
  { guid: "4ba50f17-9666-485c-a643-ff00808643f0", roleName: "FHIR SMART User",
    description: "Role allows user to access FHIR Service according to SMART on FHIR specification",
    permissions: perm({ dataActions: FHIR(["read", "smart/action"]) }) },
];

const BY_GUID = new Map(BUILT_IN_ROLES.map((r) => [r.guid.toLowerCase(), r]));

/** The built-in role whose GUID is the last segment of `roleDefinitionId` (any scope prefix), if any. */
export function roleByDefinitionId(roleDefinitionId: string): BuiltInRole | undefined {
  const guid = roleDefinitionId.replace(/\/+$/, "").split("/").pop() ?? "";
  return BY_GUID.get(guid.toLowerCase());
}

export function roleByName(roleName: string): BuiltInRole | undefined {
  const n = roleName.toLowerCase();
  return BUILT_IN_ROLES.find((r) => r.roleName.toLowerCase() === n);
}

/**
 * The definition as Azure returns it (RoleDefinition, authorization-RoleDefinitionsCalls.json 2022-04-01).
 * Built-in roles read through a subscription (or anything below it) carry the subscription-level id;
 * read at the root they carry `/providers/...`.
 */
export function roleDefinitionResource(role: BuiltInRole, subscriptionId?: string): ArmResource {
  const prefix = subscriptionId ? `/subscriptions/${subscriptionId}` : "";
  return {
    id: `${prefix}/providers/Microsoft.Authorization/roleDefinitions/${role.guid}`,
    name: role.guid,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: {
      roleName: role.roleName,
      type: "BuiltInRole",
      description: role.description,
      assignableScopes: ["/"],
      permissions: role.permissions.map((p) => ({ ...p })),
      createdOn: "2015-02-02T21:55:09.8806423Z",
      updatedOn: "2024-01-01T00:00:00.0000000Z",
    },
  };
}
