// Generated FHIR data for an estate's `fhirData[].generate` (issue 11): N Patients, each with one Encounter,
// one to three Observations and, for some, a Condition, referencing the Patient. Seeded, and stamped from
// a fixed instant rather than the clock, so the same estate always gives the same resources — versions
// (historyRate: share of resources with two or three versions) and deletes (deleteRate: share whose
// last version is a delete) included.
import { seededRandom } from "../random.js";
import type { FhirStore } from "./fhir-store.js";

export interface GenerateSpec {
  patients: number;
  seed: number;
  historyRate: number;
  deleteRate: number;
}

/** Where generated history starts; each resource is a minute after the one before. */
const EPOCH_MS = Date.parse("2024-01-01T00:00:00.000Z");
const MINUTE = 60_000;
const DAY = 86_400_000;

const GIVEN = ["Ana", "Ben", "Chloé", "Dev", "Eitan", "Fatima", "Grace", "Hiro", "Ines", "Jonas", "Kemal", "Lena"];
const FAMILY = ["Okafor", "Schmidt", "García", "Nguyen", "Kowalski", "Haddad", "Silva", "Larsen", "Mehta", "Rossi"];
const VITALS: [string, string, string, number, number][] = [
  ["8867-4", "Heart rate", "/min", 50, 120],
  ["8310-5", "Body temperature", "Cel", 35, 40],
  ["29463-7", "Body weight", "kg", 3, 150],
];
const CONDITIONS: [string, string][] = [["44054006", "Diabetes mellitus type 2"], ["38341003", "Hypertensive disorder"], ["195967001", "Asthma"]];

/** Writes the generated resources into `store` in creation order; returns how many versions it wrote. */
export function generateFhirData(store: FhirStore, spec: GenerateSpec): number {
  const random = seededRandom(spec.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  let at = EPOCH_MS;
  let written = 0;
  const emit = (resource: { resourceType: string; id: string; [k: string]: unknown }, update: (r: typeof resource) => typeof resource) => {
    at += MINUTE;
    store.write(resource, at);
    written++;
    if (random() < spec.historyRate) {
      const extra = random() < 0.5 ? 1 : 2;
      let r = resource;
      for (let i = 0; i < extra; i++) {
        r = update(r);
        store.write(r, at + (i + 1) * DAY);
        written++;
      }
    }
    if (random() < spec.deleteRate) {
      store.delete(resource.resourceType, resource.id, at + 3 * DAY);
      written++;
    }
  };
  for (let p = 1; p <= spec.patients; p++) {
    const pid = `pat-${spec.seed}-${p}`;
    const subject = { reference: `Patient/${pid}` };
    emit({
      resourceType: "Patient", id: pid, active: true,
      name: [{ family: pick(FAMILY), given: [pick(GIVEN)] }],
      gender: pick(["female", "male", "other", "unknown"]),
      birthDate: `19${String(30 + Math.floor(random() * 70)).padStart(2, "0")}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
    }, (r) => ({ ...r, telecom: [{ system: "phone", value: `+1-555-01${String(Math.floor(random() * 100)).padStart(2, "0")}` }] }));
    emit({
      resourceType: "Encounter", id: `enc-${spec.seed}-${p}`, status: "finished", subject,
      class: { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "AMB" },
    }, (r) => ({ ...r, status: "finished", length: { value: 10 + Math.floor(random() * 50), unit: "min" } }));
    const observations = 1 + Math.floor(random() * 3);
    for (let o = 1; o <= observations; o++) {
      const [code, display, unit, lo, hi] = pick(VITALS);
      const value = () => Math.round((lo + random() * (hi - lo)) * 10) / 10;
      emit({
        resourceType: "Observation", id: `obs-${spec.seed}-${p}-${o}`, status: "final", subject,
        code: { coding: [{ system: "http://loinc.org", code, display }] },
        valueQuantity: { value: value(), unit, system: "http://unitsofmeasure.org", code: unit },
      }, (r) => ({ ...r, status: "amended", valueQuantity: { value: value(), unit, system: "http://unitsofmeasure.org", code: unit } }));
    }
    if (random() < 0.4) {
      const [code, display] = pick(CONDITIONS);
      emit({
        resourceType: "Condition", id: `cond-${spec.seed}-${p}`, subject,
        code: { coding: [{ system: "http://snomed.info/sct", code, display }] },
        clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
      }, (r) => ({ ...r, clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "resolved" }] } }));
    }
  }
  return written;
}
