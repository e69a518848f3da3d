import type { FunnelStep } from "../contract";
import type { Step } from "./definition";
import type { PersonPath } from "./run";

/** One step's numbers, as the contract describes them. */
export type StepResult = FunnelStep;

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);

function median(values: number[]): number | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Per-step counts, conversion, drop-off and median seconds from the previous step. */
export function summarize(steps: Step[], paths: PersonPath[]): StepResult[] {
  const counts = steps.map((_, i) => paths.filter((p) => p.times[i] != null).length);
  return steps.map((s, i) => ({
    event: s.event,
    channel: s.channel ?? null,
    count: counts[i],
    conversion_from_first: ratio(counts[i], counts[0]),
    conversion_from_previous: i ? ratio(counts[i], counts[i - 1]) : ratio(counts[0], counts[0]),
    drop_off: i ? counts[i - 1] - counts[i] : 0,
    median_seconds_to_convert: i
      ? median(paths.filter((p) => p.times[i] != null).map((p) => (p.times[i]! - p.times[i - 1]!) / 1000))
      : null,
  }));
}

const MAX_BREAKDOWN_VALUES = 50;

/** Steps per breakdown value (the entry event's), largest entry count first. */
export function breakdownOf(steps: Step[], paths: PersonPath[]) {
  const groups = new Map<string | null, PersonPath[]>();
  for (const p of paths) {
    const list = groups.get(p.bd);
    if (list) list.push(p);
    else groups.set(p.bd, [p]);
  }
  return [...groups]
    .sort((a, b) => b[1].length - a[1].length || String(a[0] ?? "").localeCompare(String(b[0] ?? "")))
    .slice(0, MAX_BREAKDOWN_VALUES)
    .map(([value, list]) => ({ value, steps: summarize(steps, list) }));
}

/** The API answer for a funnel over a range: steps, plus per-value steps when it has a breakdown. */
export function funnelResult(steps: Step[], paths: PersonPath[], breakdown?: string) {
  return { steps: summarize(steps, paths), ...(breakdown ? { breakdown: breakdownOf(steps, paths) } : {}) };
}
