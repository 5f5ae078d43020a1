import { describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "../domain/canonical-json.js";
import { digestHexOf, sealPlan, verifyDigest } from "./digest.js";
import { sealedPlan, unsealedPlan } from "../../test/fixtures/plan-files.js";

describe("sealPlan", () => {
  it("digests the canonical JSON of everything but digest and planId, and derives the planId from it", () => {
    const plan = unsealedPlan();
    const { digest: _d, planId: _p, ...rest } = plan;
    const hex = sha256Hex(canonicalJson(rest));
    const sealed = sealPlan(plan);
    expect(sealed.digest).toBe(`sha256:${hex}`);
    expect(sealed.planId).toBe(`plan-${hex.slice(0, 12)}`);
    expect(plan.digest).toBe("");                       // the input is not changed
    expect(sealPlan(sealed)).toEqual(sealed);           // a sealed plan seals to itself
  });

  it("does not depend on member order or on the old digest", () => {
    const a = unsealedPlan();
    const reversed = (v: unknown): unknown => (Array.isArray(v) ? v.map(reversed) : v !== null && typeof v === "object"
      ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v);
    const b = reversed({ ...a, digest: "sha256:x", planId: "plan-y" }) as typeof a;
    expect(JSON.stringify(b)).not.toBe(JSON.stringify(a));
    expect(digestHexOf(b)).toBe(digestHexOf(a));
  });

  it("changes with any content", () => {
    const a = unsealedPlan();
    const b = unsealedPlan();
    b.steps[0]!.title += " ";
    expect(digestHexOf(b)).not.toBe(digestHexOf(a));
  });
});

describe("verifyDigest", () => {
  it("accepts a sealed plan and refuses an edited one, a wrong planId, or one canonical JSON cannot encode", () => {
    expect(verifyDigest(sealedPlan())).toBe(true);
    const edited = sealedPlan();
    edited.accounts[0]!.location = "northeurope";
    expect(verifyDigest(edited)).toBe(false);
    expect(verifyDigest({ ...sealedPlan(), planId: "plan-000000000000" })).toBe(false);
    expect(verifyDigest({ ...sealedPlan(), digest: undefined })).toBe(false);
    expect(verifyDigest({ ...sealedPlan(), createdAt: Number.POSITIVE_INFINITY })).toBe(false);
    expect(verifyDigest({ ...sealedPlan(), createdAt: "\uD800" })).toBe(false);
  });
});
