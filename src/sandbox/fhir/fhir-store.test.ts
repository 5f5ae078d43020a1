import { describe, expect, it } from "vitest";
import { DELETED_STATE_URL, FhirStore } from "./fhir-store.js";
import { generateFhirData } from "./fhir-generate.js";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");

describe("FhirStore", () => {
  it("writes versions 1, 2, … with a lastUpdated after the one before, and a delete as one more version", () => {
    const s = new FhirStore();
    s.write({ resourceType: "Patient", id: "p1", active: true }, T0);
    const v2 = s.write({ resourceType: "Patient", id: "p1", active: false }, T0 - 5_000);
    expect(v2.versionId).toBe(2);
    expect(v2.lastUpdated).toBe(T0 + 1);
    expect(v2.resource.meta).toEqual({ versionId: "2", lastUpdated: "2026-01-01T00:00:00.001Z" });
    const d = s.delete("Patient", "p1", T0 + 10)!;
    expect([d.versionId, d.deleted]).toEqual([3, true]);
    expect(s.delete("Patient", "p1", T0 + 20)).toBeNull();
    expect(s.counts()).toEqual({ Patient: { current: 0, versions: 3, deleted: 1 } });
  });

  it("refuses an id fhir-server would not store", () => {
    expect(() => new FhirStore().write({ resourceType: "Patient", id: "has space" }, T0)).toThrow(/invalid resource id/);
  });

  it("loads versions as given in any order; the same version again is 'same', other content 'conflict'", () => {
    const s = new FhirStore();
    const v = (n: number, extra: Record<string, unknown> = {}) =>
      ({ resourceType: "Observation", id: "o1", status: "final", ...extra, meta: { versionId: String(n), lastUpdated: new Date(T0 + n).toISOString() } });
    expect(s.load(v(2))).toBe("loaded");
    expect(s.load(v(1))).toBe("loaded");
    expect(s.versionsOf("Observation", "o1").map((x) => x.versionId)).toEqual([1, 2]);
    expect(s.load(v(2))).toBe("same");
    expect(s.load(v(2, { status: "amended" }))).toBe("conflict");
    expect(s.load({ ...v(3), meta: { ...v(3).meta, extension: [{ url: DELETED_STATE_URL, valueString: "soft-deleted" }] } })).toBe("loaded");
    expect(s.latest("Observation", "o1")?.deleted).toBe(true);
  });

  it("round-trips through its export form: the same versions, deletes and counts", () => {
    const a = new FhirStore();
    generateFhirData(a, { patients: 30, seed: 7, historyRate: 0.3, deleteRate: 0.1 });
    const b = new FhirStore();
    for (const r of a.toResources()) expect(b.load(r)).toBe("loaded");
    expect(b.counts()).toEqual(a.counts());
    expect(b.toResources()).toEqual(a.toResources());
  });
});

describe("generateFhirData", () => {
  it("is the same for the same seed, and gives Patients with their Encounters, Observations, some Conditions, versions and deletes", () => {
    const make = (seed: number) => { const s = new FhirStore(); generateFhirData(s, { patients: 200, seed, historyRate: 0.2, deleteRate: 0.05 }); return s; };
    const a = make(3);
    expect(make(3).toResources()).toEqual(a.toResources());
    expect(make(4).toResources()).not.toEqual(a.toResources());
    const c = a.counts();
    expect(Object.keys(c)).toEqual(["Condition", "Encounter", "Observation", "Patient"]);
    expect(c.Patient!.current + c.Patient!.deleted).toBe(200);
    expect(c.Encounter!.current + c.Encounter!.deleted).toBe(200);
    const resources = Object.values(c).reduce((n, x) => n + x.current + x.deleted, 0);
    const versions = Object.values(c).reduce((n, x) => n + x.versions, 0);
    const deleted = Object.values(c).reduce((n, x) => n + x.deleted, 0);
    // historyRate 0.2 adds 1.5 versions to a fifth of the resources, deleteRate one delete to a twentieth.
    expect(versions / resources).toBeGreaterThan(1.2);
    expect(versions / resources).toBeLessThan(1.5);
    expect(deleted / resources).toBeGreaterThan(0.02);
    expect(deleted / resources).toBeLessThan(0.09);
  });
});
