// Reading the files the FHIR bulk jobs write (issue 11: import error files, export manifests' NDJSON for
// lint) through @azure/storage-blob 12.32.0, the last release for Node 20 (its Node-22-only dependencies
// are pinned back with package.json `overrides`). The credential is the signed-in caller's, for
// https://storage.azure.com (the SDK's default audience); the caller needs a Blob data role on the account.
import { BlobClient, ContainerClient } from "@azure/storage-blob";
import type { TokenCredential } from "@azure/identity";

/** The whole blob as UTF-8 text (NDJSON, JSON). */
export async function readBlobText(credential: TokenCredential, url: string, o: { abortSignal?: AbortSignal } = {}): Promise<string> {
  const buffer = await new BlobClient(url, credential).downloadToBuffer(0, undefined, o.abortSignal ? { abortSignal: o.abortSignal } : {});
  return buffer.toString("utf8");
}

/** The names of the blobs in a container (`https://{account}.blob…/{container}`) under `prefix`, every page. */
export async function listBlobNames(credential: TokenCredential, containerUrl: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const b of new ContainerClient(containerUrl, credential).listBlobsFlat(prefix ? { prefix } : {})) names.push(b.name);
  return names;
}
