// Fuzz: several hundred mutated plans through parsePlan, with a seeded PRNG so a failure replays. Mutations
// delete, replace (wrong types, huge strings, nulls, arrays ↔ objects), insert and duplicate fields anywhere
// in the document, or damage the text itself. Each is tried re-digested (so it reaches the schema and the
// step-graph checks) and as is (so it must be refused as edited). Every one is either refused with one of
// the plan errors (UsageError exit 2, PlanFormatError exit 3) and a one-line message, or loaded cleanly —
// never another exception.
import { readFileSync } from "node:fs";
import { seededRandom } from "../sandbox/random.js";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parsePlan } from "./load-plan.js";
import { digestHexOf, planIdOf } from "./digest.js";
import { canonicalJson } from "../domain/canonical-json.js";
import { planText } from "../../test/fixtures/plan-files.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };


const SEED = 0x5eed4;
// Two bases: the hand-made plan, and the example buildPlan made of the demo estate (22 steps, every kind).
const EXAMPLE = readFileSync(fileURLToPath(new URL("../../plans/example.plan.json", import.meta.url)), "utf8");
const BASES = [planText(), EXAMPLE];
const ROUNDS = 400;

function fuzzer(random: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const randomValue = (depth = 0): Json => {
    switch (Math.floor(random() * 12)) {
      case 0: return null;
      case 1: return random() < 0.5;
      case 2: return Math.floor(random() * 1e6) - 5e5;
      case 3: return pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1]);
      case 4: return "";
      case 5: return "x".repeat(Math.floor(random() * 200_000));
      case 6: return pick(["PUT", "fhir-R4", "planned", "rbac", "https://management.azure.com/subscriptions/x?api-version=2024-03-31",
        "/subscriptions/33333333-3333-4333-8333-333333333333/resourceGroups/rg/providers/A.B/c/d", "\u0000", "😀", "__proto__", "$fromStep"]);
      case 7: return depth > 2 ? [] : Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1));
      case 8: return depth > 2 ? {} : Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`k${i}`, randomValue(depth + 1)]));
      case 9: return { $fromStep: pick(["fhir-a/ensure-identity", "fhir-a/ensure-workspace", "nope"]), output: pick(["principalId", "clientId", "x"]) };
      case 10: return [[[[[[[[[[]]]]]]]]]];
      default: return String(random());
    }
  };

  /** Every container path in `doc` (arrays and objects), to pick a place to mutate. */
  const containers = (doc: Json): Json[][] => {
    const out: Json[][] = [];
    const walk = (v: Json, path: Json[]) => {
      if (v === null || typeof v !== "object") return;
      out.push(path);
      for (const [k, c] of Object.entries(v)) walk(c, [...path, Array.isArray(v) ? Number(k) : k]);
    };
    walk(doc, []);
    return out;
  };
  const at = (doc: Json, path: Json[]): Json => path.reduce<Json>((v, k) => (v as Record<string, Json>)[k as string]!, doc);

  /** One structural mutation of `doc` in place; returns a label for failure messages. */
  const mutate = (doc: { [k: string]: Json }): string => {
    const path = pick(containers(doc));
    const target = at(doc, path) as Record<string, Json> | Json[];
    const keys = Object.keys(target);
    const key = keys.length > 0 ? pick(keys) : null;
    const where = `$${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`;
    const op = pick(["delete", "replace", "replace", "insert", "swap", "duplicate", "empty"] as const);
    if (key === null || op === "insert") {
      const name = pick(["extra", "id", "$fromStep", "digest", "formatVersion", "__proto__", "x".repeat(5000)]);
      // defineProperty: an own "__proto__" member, as JSON.parse makes one, not a prototype change.
      if (Array.isArray(target)) target.push(randomValue());
      else Object.defineProperty(target, name, { value: randomValue(), enumerable: true, writable: true, configurable: true });
      return `insert into ${where}`;
    }
    const cur = (target as Record<string, Json>)[key]!;
    switch (op) {
      case "delete":
        if (Array.isArray(target)) target.splice(Number(key), 1); else delete target[key];
        return `delete ${where}.${key}`;
      case "replace":
        (target as Record<string, Json>)[key] = randomValue();
        return `replace ${where}.${key}`;
      case "swap":
        // arrays ↔ objects
        (target as Record<string, Json>)[key] = Array.isArray(cur) ? Object.fromEntries(cur.map((v, i) => [String(i), v]))
          : cur !== null && typeof cur === "object" ? Object.values(cur) : [cur];
        return `swap ${where}.${key}`;
      case "duplicate":
        if (Array.isArray(target)) target.push(structuredClone(cur)); else target[`${key}2`] = structuredClone(cur);
        return `duplicate ${where}.${key}`;
      case "empty":
        (target as Record<string, Json>)[key] = Array.isArray(cur) ? [] : typeof cur === "object" && cur !== null ? {} : "";
        return `empty ${where}.${key}`;
    }
  };

  /** Damage to the text itself: a changed byte, a cut, an inserted character. */
  const damageText = (text: string): string => {
    const i = Math.floor(random() * text.length);
    switch (Math.floor(random() * 3)) {
      case 0: return text.slice(0, i) + String.fromCharCode(32 + Math.floor(random() * 95)) + text.slice(i + 1);
      case 1: return text.slice(0, i);
      default: return text.slice(0, i) + pick(["{", "]", ",", "\"", "\\", "\u0000"]) + text.slice(i);
    }
  };
  return { mutate, damageText, random };
}

type Outcome = "loaded" | "UsageError" | "PlanFormatError";

function load(text: string, label: string): { outcome: Outcome; message: string } {
  try {
    parsePlan(text, "fuzz.plan.json");
    return { outcome: "loaded", message: "" };
  } catch (err) {
    const e = err as { name?: unknown; message?: unknown };
    if (e.name !== "UsageError" && e.name !== "PlanFormatError") {
      throw new Error(`${label}: unexpected ${String(e.name)}: ${String(e.message)}`, { cause: err });
    }
    const message = String(e.message);
    expect(message, label).not.toContain("\n");
    expect(message.length, label).toBeLessThan(600);
    return { outcome: e.name, message };
  }
}

function reDigest(doc: { [k: string]: Json }): string | null {
  let hex: string;
  try { hex = digestHexOf(doc); } catch { return null; }   // canonical JSON refuses it (e.g. 1e308 is fine, lone surrogate is not)
  return JSON.stringify({ ...doc, planId: planIdOf(hex), digest: `sha256:${hex}` });
}

describe(`parsePlan under ${ROUNDS} mutated plans (seed ${SEED})`, () => {
  it("refuses each with a plan error or loads it cleanly; unsealed edits are always refused as edited", () => {
    const f = fuzzer(seededRandom(SEED));
    const originals = BASES.map((t) => canonicalJson(JSON.parse(t)));
    const tally: Record<string, number> = {};
    const count = (k: string) => { tally[k] = (tally[k] ?? 0) + 1; };

    for (let round = 0; round < ROUNDS; round++) {
      const base = round % 2;
      const doc = JSON.parse(BASES[base]!) as { [k: string]: Json };
      const steps = 1 + Math.floor(f.random() * 3);
      const labels: string[] = [];
      for (let s = 0; s < steps; s++) labels.push(f.mutate(doc));
      const label = `round ${round} (${base ? "example" : "fixture"} plan): ${labels.join(", ")}`;

      // As is: the digest no longer matches, unless the mutation changed nothing the digest covers.
      const asIs = load(JSON.stringify(doc), `${label} (not re-digested)`);
      let unchanged = false;
      try { unchanged = canonicalJson(doc) === originals[base]; } catch { /* not encodable: changed */ }
      const formatChanged = typeof doc.formatVersion === "number" && doc.formatVersion !== 1;
      if (unchanged) expect(asIs.outcome, label).toBe("loaded");
      else {
        expect(asIs.outcome, label).toBe("PlanFormatError");
        if (!formatChanged) expect(asIs.message, label).toMatch(/edited after planning \(digest mismatch\)/);
      }
      count(`as-is ${asIs.outcome}`);

      // Re-digested: reaches the format, schema and step-graph checks.
      const sealed = reDigest(doc);
      if (sealed === null) { count("not encodable"); continue; }
      const r = load(sealed, `${label} (re-digested)`);
      // A format error only for a changed formatVersion; otherwise a step that asks for more than the
      // planner writes (step-rules.ts, issue 10 §1), named by its step and rule.
      const byRule = r.outcome === "PlanFormatError" && /^fuzz\.plan\.json is refused: step \S+ breaks the \w+ rule: it /.test(r.message);
      if (r.outcome === "PlanFormatError") expect(formatChanged || byRule, `${label}: ${r.message}`).toBe(true);
      count(`re-digested ${byRule ? "refused by a step rule" : r.outcome}`);

      // Text damage, on the sealed text: not JSON, or JSON that is now another plan.
      count(`damaged ${load(f.damageText(BASES[base]!), `${label} (damaged text)`).outcome}`);
    }
    if (process.env.AHDS_FUZZ_TALLY) console.log(tally);
    // The fuzz must reach every outcome, or it tests less than it claims.
    expect(tally["as-is PlanFormatError"]).toBeGreaterThan(ROUNDS * 0.8);
    expect(tally["re-digested UsageError"]).toBeGreaterThan(ROUNDS * 0.4);
    expect(tally["re-digested loaded"]).toBeGreaterThan(0);
    expect(tally["re-digested refused by a step rule"]).toBeGreaterThan(0);
    expect(tally["damaged UsageError"]).toBeGreaterThan(0);
    expect(tally["damaged PlanFormatError"]).toBeGreaterThan(0);
  });
});
