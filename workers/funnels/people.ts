import { z } from "zod";
import { FUNNEL_OUTCOMES, type FunnelPerson, type FunnelStepPeople, type TimelineRef } from "../contract";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { badField } from "../lib/http";
import type { PersonPath } from "./run";

/** Query string of the step-people routes (the range and filters are the funnel's own). */
export const stepPeopleQuerySchema = z
  .object({
    outcome: z.enum(FUNNEL_OUTCOMES).default("converted"),
    /** One breakdown group only: its value as the funnel answer shows it (empty = the null group). */
    breakdown_value: z.string().max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().max(4000).optional(),
  })
  .loose();
export type StepPeopleQuery = z.infer<typeof stepPeopleQuerySchema>;

export const stepNumberSchema = z.coerce.number().int().min(1).max(100);

const KINDS: Record<string, TimelineRef["kind"]> = { "a:": "anonymous_id", "x:": "external_id", "u:": "user_id" };

/** A person id (`a:<anon>`, `x:<phone>`, `u:<user>`: linked people keep the smallest of their ids) as a timeline query. */
function personTimeline(person: string | null): TimelineRef | null {
  const kind = person ? KINDS[person.slice(0, 2)] : undefined;
  return kind ? { kind, value: person!.slice(2) } : null;
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * The people behind step `n` (1-based) of a funnel answer: `converted` reached it (its `count`),
 * `dropped` reached step n-1 but not n (its `drop_off`; nobody for step 1). Ordered by person id,
 * keyset-paged, so the pages add up to the figure.
 */
export function stepPeople(paths: PersonPath[], steps: number, n: number, q: StepPeopleQuery): FunnelStepPeople {
  if (n > steps) throw badField("invalid_query", "n", `the funnel has ${steps} steps`);
  const i = n - 1;
  const group = q.breakdown_value === undefined ? paths : paths.filter((p) => (p.bd ?? "") === q.breakdown_value);
  const chosen = group.filter((p) =>
    q.outcome === "converted" ? p.times[i] != null : i > 0 && p.times[i - 1] != null && p.times[i] == null,
  );
  chosen.sort((a, b) => (a.person < b.person ? -1 : a.person > b.person ? 1 : 0));
  const after = q.cursor ? decodeCursor(q.cursor, "string")[0] : null;
  const from = after === null ? 0 : chosen.findIndex((p) => p.person > after);
  const page = from < 0 ? [] : chosen.slice(from, from + q.limit);
  const people: FunnelPerson[] = page.map((p) => ({
    person_id: p.person,
    timeline: personTimeline(p.person),
    entered_at: iso(p.times[0]!),
    previous_at: iso(p.times[Math.max(0, i - 1)]!),
    reached_at: p.times[i] == null ? null : iso(p.times[i]!),
  }));
  const more = from >= 0 && from + q.limit < chosen.length;
  return { step: n, outcome: q.outcome, total: chosen.length, people, next_cursor: more ? encodeCursor([page.at(-1)!.person]) : null };
}
