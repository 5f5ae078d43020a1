import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import {
  AzureError, BugError, CancelledError, LockHeldError, PlanFormatError, StalePlanError, UsageError, UserError,
} from "../domain/errors.js";
import { exitCodeFor, formatError } from "./error-handler.js";

const plain = { debug: false, color: false };

describe("exitCodeFor (DESIGN.md exit codes)", () => {
  const table: [string, unknown, number][] = [
    ["UserError", new UserError("x"), 1],
    ["AzureError", new AzureError("x", { status: 403 }), 1],
    ["BugError", new BugError("x"), 1],
    ["UsageError", new UsageError("x"), 2],
    ["StalePlanError", new StalePlanError("x"), 3],
    ["LockHeldError", new LockHeldError("x"), 3],
    ["PlanFormatError", new PlanFormatError("x"), 3],
    ["CancelledError", new CancelledError(), 130],
    ["plain Error", new Error("x"), 1],
    ["a thrown string", "boom", 1],
    ["commander unknown option", new CommanderError(1, "commander.unknownOption", "error: unknown option '--x'"), 2],
    ["commander --help", new CommanderError(0, "commander.helpDisplayed", "(outputHelp)"), 0],
    ["commander --version", new CommanderError(0, "commander.version", "0.1.0"), 0],
    ["commander help CMD", new CommanderError(0, "commander.help", "(outputHelp)"), 0],
    ["commander missing subcommand", new CommanderError(1, "commander.help", "(outputHelp)"), 2],
    // Recognised by name, not by class: an error from another copy of the module still maps.
    ["foreign object named UsageError", { name: "UsageError", message: "x" }, 2],
  ];
  for (const [label, err, code] of table) it(`${label} → ${code}`, () => expect(exitCodeFor(err)).toBe(code));
});

describe("formatError", () => {
  it("prints one line plus next steps, no stack", () => {
    const text = formatError(new UserError("Can't read key cmk-1: the key is disabled.\nsecond line", ["Enable it in contoso-kv."]), plain);
    expect(text).toBe("error: Can't read key cmk-1: the key is disabled.\n  Enable it in contoso-kv.");
  });

  it("adds the stack and causes with --debug", () => {
    const err = new UserError("outer", [], { cause: new Error("inner cause") });
    const text = formatError(err, { debug: true, color: false });
    expect(text).toMatch(/^error: outer\nUserError: outer\n\s+at /);
    expect(text).toContain("Caused by: Error: inner cause");
  });

  it("names the request id of an Azure failure", () => {
    const text = formatError(new AzureError("Azure refused the subscription list (HTTP 403 AuthorizationFailed): no.", { requestId: "r-1" }), plain);
    expect(text.split("\n")).toEqual(["error: Azure refused the subscription list (HTTP 403 AuthorizationFailed): no.", "Azure request id: r-1"]);
  });

  it("points a commander usage error at the failing command's --help", () => {
    const err = Object.assign(new CommanderError(1, "commander.unknownOption", "error: unknown option '--x'"), { commandPath: "ahds-migrate doctor" });
    expect(formatError(err, plain)).toBe("error: unknown option '--x'\nRun 'ahds-migrate doctor --help' for usage.");
  });

  it("prints nothing after --help/--version", () => {
    expect(formatError(new CommanderError(0, "commander.version", "0.1.0"), plain)).toBe("");
  });

  it("prints the resume command after Ctrl-C", () => {
    expect(formatError(new CancelledError("Interrupted.", "ahds-migrate apply plans/x.plan.json"), plain))
      .toBe("Interrupted.\nResume with: ahds-migrate apply plans/x.plan.json");
  });

  it("calls a broken invariant a bug", () => {
    expect(formatError(new BugError("step s1 has no executor"), plain)).toMatch(/^error: internal error: step s1 has no executor\nThis is a bug/);
  });

  it("treats an unknown error as unexpected and suggests --debug", () => {
    expect(formatError(new TypeError("x is undefined"), plain)).toBe("error: unexpected TypeError: x is undefined\nRun the same command with --debug to see where it happened.");
  });

  it("colours only when asked", () => {
    expect(formatError(new UserError("x"), { debug: false, color: true })).toBe("\u001b[31merror:\u001b[39m x");
  });
});
