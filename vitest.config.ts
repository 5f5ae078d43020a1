import { defineConfig } from "vitest/config";

// Integration tests run the real Azure SDK clients through the sandbox proxy. Node reads
// NODE_EXTRA_CA_CERTS only at start, so globalSetup creates the sandbox CA and sets it in the
// environment before the worker processes are forked (pool "forks", not threads).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "test/**/*.test.tsx"],
    pool: "forks",
    globalSetup: ["test/helpers/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
