// Lint enforces the import rules of DESIGN.md ("Layout"), so the layout cannot drift by accident:
//   domain imports nothing of ours; assess and planner do no I/O; only src/azure imports @azure/*;
//   only src/ui imports ink/react; nothing imports src/sandbox except src/cli and tests.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const FOLDERS = ["domain", "azure", "inventory", "assess", "planner", "runner", "sandbox", "cli", "ui"];
const NODE_IO = ["fs", "fs/promises", "net", "tls", "http", "https", "http2", "child_process", "dgram", "dns", "worker_threads"]
  .flatMap((m) => [m, `node:${m}`]);

/** The folders of ours that `folder` may not import. */
function forbiddenFolders(folder) {
  if (folder === "domain") return FOLDERS.filter((f) => f !== "domain");
  const out = [];
  if (folder !== "cli") out.push("sandbox");
  if (folder !== "cli") out.push("ui", "cli");
  if (folder === "assess" || folder === "planner") out.push("azure", "inventory", "runner");
  if (folder === "sandbox") return FOLDERS.filter((f) => f !== "sandbox");
  return [...new Set(out)].filter((f) => f !== folder);
}

function restrictionsFor(folder) {
  const patterns = [];
  const forbidden = forbiddenFolders(folder);
  if (forbidden.length) {
    patterns.push({
      group: forbidden.flatMap((f) => [`**/${f}/*`, `../${f}/*`, `../../${f}/*`, `../../src/${f}/*`]),
      message: `src/${folder} may not import ${forbidden.map((f) => `src/${f}`).join(", ")} (DESIGN.md "Layout").`,
    });
  }
  if (folder !== "azure") {
    patterns.push({ group: ["@azure/*", "@azure-rest/*"], message: "Only src/azure imports @azure/* (DESIGN.md)." });
  }
  if (folder !== "ui") {
    patterns.push({ group: ["ink", "ink/*", "react", "react/*", "ink-*"], message: "Only src/ui imports ink/react (DESIGN.md)." });
  }
  const paths = [];
  if (folder === "assess" || folder === "planner" || folder === "domain") {
    for (const name of NODE_IO) paths.push({ name, message: `src/${folder} does no I/O (DESIGN.md "Layout").` });
  }
  return { patterns, paths };
}

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly",
      URLSearchParams: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly",
      clearInterval: "readonly", setImmediate: "readonly", AbortController: "readonly", AbortSignal: "readonly",
      TextEncoder: "readonly", TextDecoder: "readonly", structuredClone: "readonly", queueMicrotask: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  ...FOLDERS.map((folder) => ({
    files: [`src/${folder}/**/*.ts`, `src/${folder}/**/*.tsx`],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "no-restricted-imports": ["error", restrictionsFor(folder)] },
  })),
  // Nothing may call process.exit but the CLI's one error handler (STYLE.md).
  {
    files: ["src/**/*.ts", "src/**/*.tsx"],
    ignores: ["src/cli/**", "**/*.test.ts"],
    rules: { "no-restricted-properties": ["error", { object: "process", property: "exit", message: "Only src/cli exits (STYLE.md)." }] },
  },
);
