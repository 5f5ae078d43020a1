// A US Government estate: the credential with authorityHost login.microsoftonline.us gets tokens for the
// usgovcloudapi / graph.microsoft.us audiences, and the public-cloud login host is not served.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureAuthorityHosts, ClientSecretCredential } from "@azure/identity";
import type { Sandbox } from "../../src/sandbox/server.js";
import { startTestSandbox } from "../helpers/sandbox.js";
import { CALLER_APP_ID, CALLER_OBJECT_ID, CALLER_SECRET, TENANT_ID, baseEstate } from "../fixtures/estate-builders.js";

let sandbox: Sandbox;
beforeAll(async () => { sandbox = await startTestSandbox(baseEstate({ cloud: "AzureUSGovernment", noVault: true })); });
afterAll(async () => { await sandbox.close(); });

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("Entra in Azure US Government", () => {
  const credential = () => new ClientSecretCredential(TENANT_ID, CALLER_APP_ID, CALLER_SECRET, { authorityHost: AzureAuthorityHosts.AzureGovernment });

  it("issues ARM tokens with the usgovcloudapi audience from login.microsoftonline.us", async () => {
    const token = await credential().getToken("https://management.usgovcloudapi.net/.default");
    expect(claimsOf(token.token)).toMatchObject({
      aud: "https://management.usgovcloudapi.net", tid: TENANT_ID, oid: CALLER_OBJECT_ID, appid: CALLER_APP_ID,
    });
    expect(sandbox.requests().at(-1)).toMatchObject({ host: "login.microsoftonline.us", status: 200 });
  });

  it("issues Key Vault and Graph tokens with the US Government audiences, and refuses public-cloud resources", async () => {
    expect(claimsOf((await credential().getToken("https://vault.usgovcloudapi.net/.default")).token).aud).toBe("https://vault.usgovcloudapi.net");
    expect(claimsOf((await credential().getToken("https://graph.microsoft.us/.default")).token).aud).toBe("https://graph.microsoft.us");
    await expect(credential().getToken("https://management.azure.com/.default")).rejects.toThrow(/AADSTS500011/);
  });
});
