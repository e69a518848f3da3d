import type { EventRecord } from "../contract";
import { BoundedCache } from "../lib/cache";
import { matches } from "./match";
import { startRun } from "./runs";
import { toLoaded, type AutomationRow, type Loaded } from "./store";
import { CANCEL_EVENT } from "./workflow";

type ProjectAutomations = { triggers: Loaded[]; waits: Set<string> };

/**
 * Per project, the active event triggers and the events runs wait for, cached per isolate for
 * 10 s (a change made in this isolate is seen at once), so most events cost a map lookup.
 */
const cache = new BoundedCache<string, ProjectAutomations>(1_000, 10_000);

/** Forgets cached automations (after a change through the API). */
export const forgetAutomations = () => cache.clear();

/** A stored automation, or none when its definition no longer parses (one bad row must not silence the others). */
function readable(r: AutomationRow): Loaded[] {
  try {
    return [toLoaded(r)];
  } catch (err) {
    console.warn("automation unreadable", r.id, String(err));
    return [];
  }
}

async function load(db: D1Database, projectId: string): Promise<ProjectAutomations> {
  const hit = cache.get(projectId);
  if (hit) return hit;
  const { results } = await db
    .prepare(
      "SELECT * FROM automations WHERE project_id = ? AND ((status = 'active' AND trigger_kind = 'event') OR wait_event IS NOT NULL)",
    )
    .bind(projectId)
    .all<AutomationRow & { trigger_kind: string; wait_event: string | null }>();
  const value: ProjectAutomations = {
    triggers: results.filter((r) => r.status === "active" && r.trigger_kind === "event").flatMap(readable),
    waits: new Set(results.flatMap((r) => (r.wait_event ? [r.wait_event] : []))),
  };
  cache.set(projectId, value);
  return value;
}

/** Events older than this, or than the automation, trigger nothing (a late webhook or a backfill is history, not a cue). */
export const MAX_TRIGGER_AGE_MS = 86_400_000;
const fresh = (a: Loaded, e: EventRecord, now: number) =>
  e.timestamp >= Math.max(Date.parse(a.created_at) - 60_000, now - MAX_TRIGGER_AGE_MS);

const personOf = async (db: D1Database, e: EventRecord) =>
  (
    await db
      .prepare("SELECT person_id FROM events WHERE project_id = ? AND event_id = ?")
      .bind(e.project_id, e.event_id)
      .first<{ person_id: string | null }>()
  )?.person_id ?? null;

/** Runs one hand-off task; a failure is logged and stops nothing else. */
async function isolated(what: string, task: () => Promise<unknown>): Promise<void> {
  try {
    await task();
  } catch (err) {
    console.warn("automation hand-off:", what, String(err));
  }
}

async function handOne(env: Cloudflare.Env, e: EventRecord): Promise<void> {
  const { triggers, waits } = await load(env.DB, e.project_id);
  const now = Date.now();
  const matched = triggers.filter(
    (a) => a.trigger.type === "event" && a.trigger.event === e.event_name && fresh(a, e, now) && matches(e.properties, a.trigger.where),
  );
  if (!matched.length && !waits.has(e.event_name)) return;
  const person = await personOf(env.DB, e);
  if (!person) return;
  if (waits.has(e.event_name)) {
    const { results } = await env.DB.prepare(
      "SELECT id FROM automation_runs WHERE project_id = ? AND person_id = ? AND wait_event = ? AND status = 'waiting'",
    )
      .bind(e.project_id, person, e.event_name)
      .all<{ id: string }>();
    for (const r of results)
      await isolated(`wake ${r.id}`, async () =>
        (await env.AUTOMATIONS.get(r.id)).sendEvent({ type: CANCEL_EVENT, payload: { event_id: e.event_id, event: e.event_name } }),
      );
  }
  for (const a of matched) {
    await isolated(`start ${a.id}`, () =>
      startRun(env, a, person, {
        key: `event:${e.event_id}`,
        event: e.event_name,
        event_id: e.event_id,
        properties: e.properties,
        at: e.timestamp,
      }),
    );
  }
}

/**
 * Hands newly stored events to automations: starts runs of matching event triggers and wakes runs
 * waiting for an event. Never throws: each event is handled on its own and a failure is logged,
 * so an automation cannot fail (or delay the retry of) its neighbours' messages.
 */
export async function handToAutomations(env: Cloudflare.Env, events: EventRecord[]): Promise<void> {
  for (const e of events) {
    try {
      await handOne(env, e);
    } catch (err) {
      console.warn("automation hand-off failed", e.project_id, e.event_id, String(err));
    }
  }
}
