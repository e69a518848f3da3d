/**
 * Retention (docs/privacy.md): each project with `retention_days` keeps raw events for that many
 * days, by event time; older ones are deleted by the scheduled run. Rollups (counts, sessions,
 * distinct-count sketches) are aggregates and stay, so dashboards over old ranges still answer
 * from them; the timeline, the events API, exports and funnels read raw events and so stop there.
 */

const DAY_MS = 86_400_000;
/** Events deleted per statement: small enough for one D1 statement, large enough to keep up. */
const RETENTION_CHUNK = 5_000;
/** Statements per project per run; what is left is deleted by the next run. */
const MAX_CHUNKS = 40;
/** Erased event ids are kept this long, past any provider's webhook retries (Meta retries for up to 7 days). */
const TOMBSTONE_DAYS = 30;

const DELETE_SQL = `DELETE FROM events WHERE rowid IN
  (SELECT rowid FROM events WHERE project_id = ?1 AND timestamp < ?2 LIMIT ${RETENTION_CHUNK})`;

export interface RetentionRun {
  /** Per project with a retention: the cutoff (epoch ms) and how many events were deleted. */
  projects: { project_id: string; cutoff: number; deleted: number; done: boolean }[];
  tombstones_pruned: number;
}

/** One retention run at `now` (the cron's scheduled time). Safe to repeat or overlap: it only deletes. */
export async function runRetention(db: D1Database, now: number): Promise<RetentionRun> {
  const { results } = await db
    .prepare("SELECT id, retention_days FROM projects WHERE retention_days IS NOT NULL AND retention_days > 0 ORDER BY id")
    .all<{ id: string; retention_days: number }>();
  const projects: RetentionRun["projects"] = [];
  for (const p of results) {
    const cutoff = now - p.retention_days * DAY_MS;
    let deleted = 0;
    let done = false;
    for (let i = 0; i < MAX_CHUNKS && !done; i++) {
      const changes = (await db.prepare(DELETE_SQL).bind(p.id, cutoff).run()).meta.changes ?? 0;
      deleted += changes;
      done = changes < RETENTION_CHUNK;
    }
    projects.push({ project_id: p.id, cutoff, deleted, done });
  }
  const pruned = await db
    .prepare("DELETE FROM erased_events WHERE erased_at < ?")
    .bind(now - TOMBSTONE_DAYS * DAY_MS)
    .run();
  return { projects, tombstones_pruned: pruned.meta.changes ?? 0 };
}
