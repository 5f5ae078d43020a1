// Small helpers for reading what the real SDK clients return in tests.
import { expect } from "vitest";
import type { RestError } from "@azure/core-rest-pipeline";

/** The RestError a call fails with (compared by name: the SDK packages may load their own copy of core-rest-pipeline). */
export async function rejection(p: Promise<unknown>): Promise<RestError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect((e as Error | undefined)?.name).toBe("RestError");
  return e as RestError;
}

/** Every item of an SDK pager (all pages). */
export async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
