/** What the live view pushes to dashboards and `/live/snapshot` answers (the contract's shape). */
export type { LiveSnapshot } from "../contract";

/** "Active" and "open" both mean: something happened in the last five minutes. */
export const LIVE_WINDOW_MS = 5 * 60_000;

/**
 * Open (not resolved, active in the window) and queued conversations from D1. Queued counts
 * every conversation waiting now, however long it has waited: those are the ones that hurt.
 */
export async function conversationCounts(db: D1Database, project: string, now: number) {
  const row = await db
    .prepare(
      `SELECT
         (SELECT count(*) FROM conversations WHERE project_id = ?1 AND state != 'resolved' AND last_event_at >= ?2) AS open,
         (SELECT count(*) FROM conversations WHERE project_id = ?1 AND state = 'queued') AS queued`,
    )
    .bind(project, now - LIVE_WINDOW_MS)
    .first<{ open: number; queued: number }>();
  return { open_conversations: row?.open ?? 0, queued: row?.queued ?? 0 };
}
