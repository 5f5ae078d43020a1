// Every account finding code of FINDINGS.md from its own minimal estate (test/fixtures/finding-estates.ts),
// through the real SDK clients and the sandbox: discover → assess → the inventory --json document.
import { describeFindingFamily } from "./inventory-finding-run.js";

describeFindingFamily("account");
