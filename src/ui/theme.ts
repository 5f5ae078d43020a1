// Colour is decoration only: every screen reads the same without it (NO_COLOR, no-color.org). Components
// ask `tone()` for an Ink colour and get undefined when colour is off.
import { createContext, useContext } from "react";
import type { Verdict, Severity } from "../domain/findings.js";

export const ColorContext = createContext(true);

export type Tone = Verdict | Severity | "accent" | "muted";

const COLORS: Record<Tone, string> = {
  ready: "green", "needs-action": "yellow", blocked: "red",
  blocker: "red", action: "yellow", info: "cyan", accent: "cyan", muted: "gray",
};

/** Ink props for a tone: a colour, or nothing when colour is off. */
export function useTone(): (t: Tone) => { color?: string } {
  const color = useContext(ColorContext);
  return (t) => (color ? { color: COLORS[t] } : {});
}

export function useColor(): boolean {
  return useContext(ColorContext);
}
