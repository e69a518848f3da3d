import type { Loaded } from "./store";

export type Outcome = { status: "ok" | "skipped"; detail: string };

/** What a run knows of what triggered it. */
export type TriggerInfo = { key: string; event?: string; event_id?: string; properties?: Record<string, unknown>; at: number };

export type RunParams = { project_id: string; automation_id: string; run_id: string; person_id: string; trigger: TriggerInfo };

const HOUR = 3_600_000;

/**
 * The run's id, also its Workflow instance id: derived from (automation, person, trigger), so the
 * same trigger twice names the same instance (ids: letters, digits, `-` and `_`, ≤ 100).
 */
export async function runId(automationId: string, personId: string, triggerKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify([automationId, personId, triggerKey])));
  return "run-" + [...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export type Started = "started" | "duplicate" | "rate_limited";

/**
 * Starts one run of `a` for a person: a unique row per (automation, person, trigger) first, so a
 * duplicate trigger (a redelivered event, an overlapping scheduled run) starts nothing; past the
 * automation's hourly limit the row records `rate_limited` and no instance is created.
 */
export async function startRun(env: Cloudflare.Env, a: Loaded, personId: string, trigger: TriggerInfo, now = Date.now()): Promise<Started> {
  const db = env.DB;
  const id = await runId(a.id, personId, trigger.key);
  const recent = await db
    .prepare("SELECT count(*) AS n FROM automation_runs WHERE automation_id = ? AND started_at > ? AND status != 'rate_limited'")
    .bind(a.id, now - HOUR)
    .first<{ n: number }>();
  const limited = (recent?.n ?? 0) >= a.max_runs_per_hour;
  const inserted = await db
    .prepare(
      `INSERT INTO automation_runs (id, automation_id, project_id, person_id, trigger_key, status, reason, started_at, finished_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING`,
    )
    .bind(
      id,
      a.id,
      a.project_id,
      personId,
      trigger.key,
      limited ? "rate_limited" : "running",
      limited ? `over ${a.max_runs_per_hour} runs per hour` : null,
      now,
      limited ? now : null,
    )
    .run();
  if (!inserted.meta.changes) return "duplicate";
  if (limited) return "rate_limited";
  const params: RunParams = { project_id: a.project_id, automation_id: a.id, run_id: id, person_id: personId, trigger };
  try {
    await env.AUTOMATIONS.create({ id, params });
  } catch (err) {
    // The row exists but the instance may not: a retry of the same trigger would be a duplicate, so
    // the row is dropped for the trigger to start afresh — unless the instance exists after all.
    if (!/already exists|duplicate/i.test(String(err))) {
      await db.prepare("DELETE FROM automation_runs WHERE id = ? AND status = 'running'").bind(id).run();
      throw err;
    }
  }
  return "started";
}

export type StepStatus = "ok" | "skipped" | "failed" | "cancelled";

/**
 * Records one step of a run (idempotent: a replayed step writes the same row), only while the run
 * exists: a run deleted with its automation, or erased with its person, leaves no steps behind.
 */
export function recordStep(db: D1Database, runId: string, seq: number, name: string, status: StepStatus, detail: string | null) {
  return db
    .prepare(
      "INSERT OR REPLACE INTO automation_run_steps (run_id, seq, name, status, detail, at) SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM automation_runs WHERE id = ?1)",
    )
    .bind(runId, seq, name, status, detail?.slice(0, 500) ?? null, Date.now())
    .run();
}

export function setRunStatus(db: D1Database, runId: string, status: "running" | "waiting", waitEvent: string | null = null) {
  return db
    .prepare("UPDATE automation_runs SET status = ?, wait_event = ? WHERE id = ? AND finished_at IS NULL")
    .bind(status, waitEvent, runId)
    .run();
}

export function finishRun(db: D1Database, runId: string, status: "completed" | "cancelled" | "skipped" | "failed", reason: string | null) {
  return db
    .prepare("UPDATE automation_runs SET status = ?, reason = ?, wait_event = NULL, finished_at = ? WHERE id = ? AND finished_at IS NULL")
    .bind(status, reason, Date.now(), runId)
    .run();
}
