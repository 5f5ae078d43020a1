// The sandbox's certificate authority and the keys that must survive a restart. Node reads
// NODE_EXTRA_CA_CERTS only at start (SDK-RECIPE §3), so the CA lives in a directory that is created
// once (vitest globalSetup, `--ca-dir`) and reused by every later process. The TLS leaf is cheap
// (ECDSA P-256) and is issued afresh in memory on every load; the token-signing key is persisted so
// tokens issued before a restart still verify after it.
import { generateKeyPairSync, randomBytes, webcrypto } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import type * as X509 from "@peculiar/x509";

// @peculiar/x509 depends on tsyringe, which refuses to load without a Reflect metadata polyfill
// ("tsyringe requires a reflect polyfill"). No polyfill package is installed, and tsyringe only
// needs these three functions, so a minimal one is installed before x509 is imported (dynamically).
installReflectMetadata();
const x509: typeof X509 = await import("@peculiar/x509");
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

function installReflectMetadata(): void {
  const R = Reflect as unknown as Record<string, unknown>;
  if (typeof R.getMetadata === "function") return;
  const store = new WeakMap<object, Map<string, unknown>>();
  const own = (key: string, target: object, prop?: string | symbol) => store.get(target)?.get(`${String(prop ?? "")}|${key}`);
  R.defineMetadata = (key: string, value: unknown, target: object, prop?: string | symbol) => {
    let m = store.get(target);
    if (!m) store.set(target, (m = new Map()));
    m.set(`${String(prop ?? "")}|${key}`, value);
  };
  R.getOwnMetadata = own;
  R.getMetadata = (key: string, target: object, prop?: string | symbol) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const v = own(key, t, prop);
      if (v !== undefined) return v;
    }
    return undefined;
  };
}

/** Every host name the leaf serves, both clouds (SDK-RECIPE §3 "Certificate"). */
export const SERVED_NAMES = [
  "login.microsoftonline.com", "management.azure.com", "graph.microsoft.com", "*.vault.azure.net",
  "*.azurehealthcareapis.com", "*.fhir.azurehealthcareapis.com", "*.blob.core.windows.net",
  "login.microsoftonline.us", "management.usgovcloudapi.net", "graph.microsoft.us", "*.vault.usgovcloudapi.net",
  "*.azurehealthcareapis.us", "*.fhir.azurehealthcareapis.us", "*.blob.core.usgovcloudapi.net",
];

export interface SandboxCa {
  dir: string;
  caCertPath: string;
  caCertPem: string;
  /** TLS server certificate (leaf) for SERVED_NAMES, and its private key (PKCS#8 PEM). */
  leafCertPem: string;
  leafKeyPem: string;
  /** RSA 2048 private key (PKCS#8 PEM) for the Entra token issuer. */
  tokenSigningKeyPem: string;
}

const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGN = { name: "ECDSA", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;

/** Create `dir` (0700) and the CA in it if missing; otherwise reuse what is there. */
export async function loadOrCreateCa(dir: string): Promise<SandboxCa> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const caCertPath = path.join(dir, "ca-cert.pem");
  const caKeyPath = path.join(dir, "ca-key.pem");
  const signingKeyPath = path.join(dir, "token-signing-key.pem");

  let pair = await readCaPair(caCertPath, caKeyPath);
  if (!pair) {
    const created = await createCa();
    // The key is published with an exclusive link: of two processes racing on an empty dir exactly one
    // wins; the loser waits for the winner's certificate (written right after its key).
    if (await publishExclusive(caKeyPath, created.keyPem)) {
      await publishExclusive(caCertPath, created.certPem);
      pair = created;
    } else {
      pair = await waitForCaPair(caCertPath, caKeyPath);
    }
  }

  let tokenSigningKeyPem = await readIfExists(signingKeyPath);
  if (tokenSigningKeyPem === undefined) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    tokenSigningKeyPem = (await publishExclusive(signingKeyPath, pem)) ? pem : await fs.readFile(signingKeyPath, "utf8");
  }

  const leaf = await issueLeaf(pair);
  return { dir, caCertPath, caCertPem: pair.certPem, leafCertPem: leaf.certPem, leafKeyPem: leaf.keyPem, tokenSigningKeyPem };
}

interface PemPair { certPem: string; keyPem: string }

async function createCa(): Promise<PemPair> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"]) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: "CN=ahds-migrate sandbox CA, O=ahds-migrate",
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    signingAlgorithm: SIGN,
    keys: keys as unknown as X509.X509CertificateCreateSelfSignedParams["keys"],
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem") + "\n", keyPem: await exportPkcs8(keys.privateKey) };
}

async function issueLeaf(ca: PemPair): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey("pkcs8", pemBody(ca.keyPem), EC, false, ["sign"]);
  const keys = await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"]) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: "CN=management.azure.com",
    issuer: caCert.subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    signingAlgorithm: SIGN,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(SERVED_NAMES.map((value) => ({ type: "dns" as const, value }))),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { certPem: cert.toString("pem") + "\n" + ca.certPem, keyPem: await exportPkcs8(keys.privateKey) };
}

async function exportPkcs8(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY") + "\n";
}

function pemBody(pem: string): ArrayBuffer {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer;
}

/** Positive 16-byte serial (high bit clear). */
function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString("hex");
}

async function readIfExists(p: string): Promise<string | undefined> {
  try {
    return await fs.readFile(p, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

async function readCaPair(certPath: string, keyPath: string): Promise<PemPair | undefined> {
  const certPem = await readIfExists(certPath);
  const keyPem = await readIfExists(keyPath);
  return certPem !== undefined && keyPem !== undefined ? { certPem, keyPem } : undefined;
}

/** Another process is creating the CA: its certificate follows its key within milliseconds. */
async function waitForCaPair(certPath: string, keyPath: string): Promise<PemPair> {
  for (let i = 0; i < 500; i++) {
    const pair = await readCaPair(certPath, keyPath);
    if (pair) return pair;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`The sandbox CA in ${path.dirname(certPath)} is incomplete (ca-key.pem without ca-cert.pem). Remove the directory and start again.`);
}

/** Write a complete temp file (0600, fsynced) and link it to `target` only if `target` does not exist. */
async function publishExclusive(target: string, content: string): Promise<boolean> {
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fh = await fs.open(tmp, "wx", 0o600);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.link(tmp, target);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
