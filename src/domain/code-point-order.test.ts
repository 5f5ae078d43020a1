import { describe, expect, it } from "vitest";
import { codePointCompare } from "./code-point-order.js";

describe("codePointCompare (the snapshot's, and so the plan's, account order)", () => {
  it("orders by code point where a locale's collation would not", () => {
    // ICU collation puts "é" between "e" and "f"; code-point order puts it after "z", in every locale.
    const ids = ["/rg-f/x", "/rg-é/x", "/rg-e/x", "/rg-z/x"];
    expect([...ids].sort(codePointCompare)).toEqual(["/rg-e/x", "/rg-f/x", "/rg-z/x", "/rg-é/x"]);
    expect([...ids].sort((a, b) => a.localeCompare(b, "en"))).not.toEqual([...ids].sort(codePointCompare));
  });
});
