import { EVENT_CSV_COLUMNS } from "../contract";
import { eventWhere, type Filters } from "../lib/filters";

const PAGE = 1000;

/**
 * Pages of matching events oldest first, by keyset on (timestamp, event_id): each page is one
 * indexed, bounded query, and rows arriving meanwhile cannot shift or repeat a page.
 */
export function eventPages(db: D1Database, projectId: string, f: Filters): () => Promise<unknown[][] | null> {
  const w = eventWhere(projectId, f);
  let after: [number, string] | null = null;
  let done = false;
  return async () => {
    if (done) return null;
    const keyset = after ? " AND (timestamp > ? OR (timestamp = ? AND event_id > ?))" : "";
    const { results } = await db
      .prepare(`SELECT ${EVENT_CSV_COLUMNS.join(", ")} FROM events WHERE ${w.sql}${keyset} ORDER BY timestamp, event_id LIMIT ?`)
      .bind(...w.params, ...(after ? [after[0], after[0], after[1]] : []), PAGE)
      .all<Record<string, unknown>>();
    if (results.length < PAGE) done = true;
    const last = results.at(-1);
    if (last) after = [last.timestamp as number, last.event_id as string];
    else return null;
    return results.map((r) =>
      EVENT_CSV_COLUMNS.map((c) =>
        c === "timestamp" || c === "received_at"
          ? new Date(r[c] as number).toISOString()
          : c === "is_bot"
            ? r[c]
              ? "true"
              : "false"
            : r[c],
      ),
    );
  };
}
