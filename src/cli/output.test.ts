import { describe, expect, it } from "vitest";
import { colorEnabled } from "./output.js";

describe("colorEnabled (no-color.org)", () => {
  it("colours a TTY without NO_COLOR", () => expect(colorEnabled({}, true)).toBe(true));
  it("never colours when stdout is not a TTY", () => expect(colorEnabled({}, false)).toBe(false));
  it("does not colour when NO_COLOR is set", () => expect(colorEnabled({ NO_COLOR: "1" }, true)).toBe(false));
  it("ignores an empty NO_COLOR", () => expect(colorEnabled({ NO_COLOR: "" }, true)).toBe(true));
});
