import { segments } from "./deps";
import { matches } from "./match";
import type { Loaded } from "./store";

const SAMPLE = 20;
/** Events read for an event trigger's dry run (newest first). */
const MAX_EVENTS = 10_000;

/** Who the automation's trigger reaches now; nothing is started. */
export async function dryRun(db: D1Database, a: Loaded, days: number) {
  const now = Date.now();
  const t = a.trigger;
  const evaluated_at = new Date(now).toISOString();
  if (t.type === "event") {
    const { results } = await db
      .prepare(
        "SELECT person_id, properties FROM events WHERE project_id = ? AND event_name = ? AND timestamp >= ? AND person_id IS NOT NULL ORDER BY timestamp DESC LIMIT ?",
      )
      .bind(a.project_id, t.event, now - days * 86_400_000, MAX_EVENTS)
      .all<{ person_id: string; properties: string | null }>();
    const hits = results.filter((r) => matches(r.properties ? (JSON.parse(r.properties) as Record<string, unknown>) : {}, t.where));
    const people = [...new Set(hits.map((h) => h.person_id))];
    return {
      trigger: t.type,
      events: hits.length,
      people: people.length,
      sample: people.slice(0, SAMPLE).map((person_id) => ({ person_id })),
      days,
      evaluated_at,
    };
  }
  const def = await segments().definition(db, a.project_id, t.segment_id);
  const [count, sample] = def
    ? await Promise.all([segments().count(db, a.project_id, def), segments().page(db, a.project_id, def, "", SAMPLE)])
    : [0, []];
  return {
    trigger: t.type,
    events: null,
    people: count,
    sample: sample.map((m) => ({ person_id: m.person_id })),
    days: null,
    evaluated_at,
  };
}
