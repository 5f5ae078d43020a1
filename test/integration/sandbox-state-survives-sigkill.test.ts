// A sandbox killed with SIGKILL leaves a complete state file holding every change it acknowledged
// (DESIGN.md "The sandbox": "a run killed with SIGKILL and resumed sees the same Azure"). The sandbox
// runs in a child process: src/sandbox is transpiled (no type check) into a directory under
// node_modules/.cache so that its package imports resolve, and started there with the CA of the tests.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { baseEstate, KEY_NAME, VAULT_NAME } from "../fixtures/estate-builders.js";
import { startTestSandbox, testCaDir } from "../helpers/sandbox.js";
import type { SandboxStateFile } from "../../src/sandbox/estate-types.js";

const root = path.resolve(import.meta.dirname, "../..");
const cacheDir = path.join(root, "node_modules", ".cache");
mkdirSync(cacheDir, { recursive: true });
const buildDir = mkdtempSync(path.join(cacheDir, "sandbox-sigkill-"));
const work = mkdtempSync(path.join(tmpdir(), "sandbox-sigkill-"));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill("SIGKILL");
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

function transpileSandbox(): string {
  const src = path.join(root, "src", "sandbox");
  const out = path.join(buildDir, "sandbox");
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) {
        const js = ts.transpileModule(readFileSync(p, "utf8"), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
        }).outputText;
        const target = path.join(out, path.relative(src, p)).replace(/\.ts$/, ".js");
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, js);
      }
    }
  };
  walk(src);
  writeFileSync(path.join(buildDir, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(path.join(buildDir, "run.js"), `
    import { readFileSync } from "node:fs";
    import { startSandbox } from "./sandbox/server.js";
    const [estatePath, statePath, caDir] = process.argv.slice(2);
    const s = await startSandbox({ estate: JSON.parse(readFileSync(estatePath, "utf8")), statePath, caDir });
    process.stdout.write(JSON.stringify({ port: s.port }) + "\\n");
  `);
  return path.join(buildDir, "run.js");
}

describe("sandbox killed with SIGKILL", () => {
  it("leaves a complete state file with every acknowledged change, which a new sandbox serves", async () => {
    const script = transpileSandbox();
    const estatePath = path.join(work, "estate.json");
    const statePath = path.join(work, "state.json");
    writeFileSync(estatePath, JSON.stringify(baseEstate()));
    child = spawn(process.execPath, [script, estatePath, statePath, testCaDir()], { stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise<number>((resolve, reject) => {
      let buf = "";
      child!.stdout!.on("data", (c: Buffer) => {
        buf += c.toString();
        const line = buf.split("\n")[0];
        if (buf.includes("\n") && line) resolve((JSON.parse(line) as { port: number }).port);
      });
      child!.once("exit", (code) => reject(new Error(`sandbox child exited with ${code}`)));
    });

    // Many rotations in flight; kill the process as soon as five were acknowledged.
    const acknowledged: string[] = [];
    const exited = new Promise<void>((resolve) => child!.once("exit", () => resolve()));
    const rotations = Array.from({ length: 40 }, () =>
      fetch(`http://127.0.0.1:${port}/_sandbox/keys/rotate`, { method: "POST", body: JSON.stringify({ vault: VAULT_NAME, key: KEY_NAME }) })
        .then(async (r) => {
          const v = (await r.json() as { version: string }).version;
          acknowledged.push(v);
          if (acknowledged.length === 5) child!.kill("SIGKILL");
        })
        .catch(() => undefined));
    await Promise.all(rotations);
    await exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(5);

    const state = JSON.parse(readFileSync(statePath, "utf8")) as SandboxStateFile;
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    const saved = new Set(state.keys[0]?.versions.map((v) => v.version));
    for (const v of acknowledged) expect(saved.has(v), v).toBe(true);

    const again = await startTestSandbox(undefined, { statePath, keepEnv: true });
    try {
      const versions = again.state.getKey(VAULT_NAME, KEY_NAME)?.versions.map((v) => v.version) ?? [];
      expect(versions).toEqual([...saved]);
    } finally {
      await again.close();
    }
  });
});
