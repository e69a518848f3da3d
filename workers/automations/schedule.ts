import type { AutomationTrigger } from "../contract";
import { lastMatch, parseCron } from "./cron";
import { segments } from "./deps";
import { startRun } from "./runs";
import { toLoaded, type AutomationRow, type Loaded } from "./store";

/** The Cron Trigger (wrangler.toml) that evaluates segment-entry and schedule triggers. */
export const AUTOMATIONS_CRON = "*/5 * * * *";
/** Members read per page, and at most per automation per run (the rest wait for the next run). */
const PAGE = 500;
const MAX_PER_TICK = 10_000;

async function* members(db: D1Database, a: Loaded, segmentId: string) {
  const def = await segments().definition(db, a.project_id, segmentId);
  if (!def) return;
  let after = "";
  for (let read = 0; read < MAX_PER_TICK; ) {
    const page = await segments().page(db, a.project_id, def, after, PAGE);
    yield* page;
    read += page.length;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.person_id;
  }
}

/**
 * The trigger key of the slot due at `now`, or null when it was handled by the previous run: an
 * interval's slot number, or the cron minute that matched since the previous run (looking back at
 * most 15 minutes: slots missed while paused or down are not replayed).
 */
function slotKey(t: Extract<AutomationTrigger, { type: "schedule" }>, lastTick: number | null, now: number): string | null {
  if (t.cron) {
    const c = parseCron(t.cron);
    const hit = c && lastMatch(c, lastTick ?? -Infinity, now);
    return hit ? `cron:${hit}` : null;
  }
  const every = t.every_minutes! * 60_000;
  const slot = Math.floor(now / every);
  return lastTick !== null && Math.floor(lastTick / every) === slot ? null : `schedule:${slot}`;
}

/** Schedule triggers: once per interval slot, a run for each member (the slot is the trigger key). */
async function tickSchedule(env: Cloudflare.Env, a: Loaded, now: number): Promise<number> {
  if (a.trigger.type !== "schedule") return 0;
  const key = slotKey(a.trigger, a.last_tick_at, now);
  if (!key) return 0;
  let started = 0;
  for await (const m of members(env.DB, a, a.trigger.segment_id)) {
    if ((await startRun(env, a, m.person_id, { key, at: now }, now)) === "started") started++;
  }
  return started;
}

/**
 * Segment-entry triggers: members are remembered per automation; a person not there at the
 * previous evaluation has entered and starts a run, and people who left are forgotten (so a
 * later re-entry counts again). The first evaluation only records who is in the segment.
 */
async function tickEntry(env: Cloudflare.Env, a: Loaded, now: number): Promise<number> {
  if (a.trigger.type !== "segment_entry") return 0;
  const db = env.DB;
  const baseline = a.last_tick_at === null;
  let started = 0;
  for await (const m of members(db, a, a.trigger.segment_id)) {
    const row = await db
      .prepare(
        `INSERT INTO automation_segment_members (automation_id, person_id, entered_at, seen_at) VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (automation_id, person_id) DO UPDATE SET seen_at = excluded.seen_at RETURNING entered_at`,
      )
      .bind(a.id, m.person_id, now)
      .first<{ entered_at: number }>();
    if (baseline || row?.entered_at !== now) continue;
    if ((await startRun(env, a, m.person_id, { key: `entry:${now}`, at: now }, now)) === "started") started++;
  }
  await db.prepare("DELETE FROM automation_segment_members WHERE automation_id = ? AND seen_at < ?").bind(a.id, now).run();
  return started;
}

/** One evaluation of every active segment-entry and schedule trigger at `now`. Safe to repeat: runs are unique per trigger key. */
export async function runAutomationTick(env: Cloudflare.Env, now: number): Promise<{ automations: number; started: number }> {
  const { results } = await env.DB.prepare(
    "SELECT * FROM automations WHERE status = 'active' AND trigger_kind IN ('segment_entry', 'schedule') ORDER BY id",
  ).all<AutomationRow>();
  let started = 0;
  for (const row of results) {
    const a = toLoaded(row);
    try {
      started += a.trigger.type === "schedule" ? await tickSchedule(env, a, now) : await tickEntry(env, a, now);
      await env.DB.prepare("UPDATE automations SET last_tick_at = ? WHERE id = ?").bind(now, a.id).run();
    } catch (err) {
      console.warn("automation tick failed", a.id, String(err));
    }
  }
  return { automations: results.length, started };
}

/** The Worker's scheduled handler for AUTOMATIONS_CRON. */
export async function automationsScheduled(controller: ScheduledController, env: Cloudflare.Env): Promise<void> {
  const r = await runAutomationTick(env, controller.scheduledTime);
  console.log("automations", JSON.stringify({ cron: controller.cron, ...r }));
}
