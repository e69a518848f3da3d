import type { FunnelStep } from "../contract";
import type { Step } from "./definition";
import type { FunnelAggregate, GroupMiddle } from "./run";

/** One step's numbers, as the contract describes them. */
export type StepResult = FunnelStep;

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);

/** The median from the middle one or two values of an ascending list (ms), in seconds. */
function median(middle: number[] | undefined): number | null {
  if (!middle?.length) return null;
  const v = middle.map((ms) => ms / 1000);
  return v.length === 1 ? v[0] : (v[0] + v[1]) / 2;
}

/** Per-step counts, conversion, drop-off and median seconds from the previous step. */
export function summarize(steps: Step[], counts: number[], middles: GroupMiddle[]): StepResult[] {
  const byStep = new Map(middles.map((m) => [m.k, m.middle]));
  return steps.map((s, i) => ({
    event: s.event,
    channel: s.channel ?? null,
    count: counts[i] ?? 0,
    conversion_from_first: ratio(counts[i] ?? 0, counts[0] ?? 0),
    conversion_from_previous: i ? ratio(counts[i] ?? 0, counts[i - 1] ?? 0) : ratio(counts[0] ?? 0, counts[0] ?? 0),
    drop_off: i ? (counts[i - 1] ?? 0) - (counts[i] ?? 0) : 0,
    median_seconds_to_convert: i ? median(byStep.get(i)) : null,
  }));
}

const MAX_BREAKDOWN_VALUES = 50;

/** Steps per breakdown value (the entry event's), largest entry count first. */
export function breakdownOf(steps: Step[], agg: FunnelAggregate) {
  const middles = new Map<string | null, GroupMiddle[]>();
  for (const m of agg.groupMiddles) (middles.get(m.bd) ?? middles.set(m.bd, []).get(m.bd)!).push(m);
  return [...agg.groups]
    .sort((a, b) => b.counts[0] - a.counts[0] || String(a.bd ?? "").localeCompare(String(b.bd ?? "")))
    .slice(0, MAX_BREAKDOWN_VALUES)
    .map((g) => ({ value: g.bd, steps: summarize(steps, g.counts, middles.get(g.bd) ?? []) }));
}

/** The API answer for a funnel over a range: steps, plus per-value steps when it has a breakdown. */
export function funnelResult(steps: Step[], agg: FunnelAggregate, breakdown?: string) {
  return { steps: summarize(steps, agg.all.counts, agg.middles), ...(breakdown ? { breakdown: breakdownOf(steps, agg) } : {}) };
}
