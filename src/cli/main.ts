#!/usr/bin/env node
// ahds-migrate's entry point (the package's bin). src/cli is the composition root: argument parsing,
// views and exit codes. It is the only code that calls process.exit and the only code besides tests
// that imports src/sandbox. It imports no ink, react or @azure/* module statically: commands load
// theirs with `await import()`, so --help and --version stay fast.
import { runCli } from "./run.js";

await runCli(process.argv);
