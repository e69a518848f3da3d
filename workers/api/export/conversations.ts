import { Hono } from "hono";
import type { ApiEnv } from "../auth";
import { parseFilters } from "../filters";
import { csvHeaders, csvStream } from "./csv";

// Keyset pages of this many rows keep each D1 query small however long the export runs.
export const PAGE_SIZE = 500;

const HEADER = [
  "conversation_id", "external_id", "state", "agent_id", "opened_at", "queued_at", "assigned_at", "resolved_at",
  "last_event_at", "messages_in", "messages_out", "bot_responses", "first_response_s", "bot_first_response_s",
  "queue_wait_s", "handle_time_s", "resolution_time_s", "human_responses", "human_response_median_s",
  "bot_response_median_s", "reopen_count",
];

type Row = Record<string, string | number | null>;

const iso = (ms: unknown) => (typeof ms === "number" ? new Date(ms).toISOString() : null);
const secs = (ms: unknown) => (typeof ms === "number" ? ms / 1000 : null);

/** A stored JSON array of durations (ms); anything unreadable counts as none. */
function times(json: unknown): number[] {
  try {
    const xs: unknown = JSON.parse(String(json ?? "[]"));
    return Array.isArray(xs) ? xs.filter((x): x is number => typeof x === "number") : [];
  } catch {
    return [];
  }
}

function median(xs: number[]): number | null {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return (s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) / 1000;
}

function values(r: Row): unknown[] {
  const human = times(r.response_times_json);
  return [
    r.conversation_id, r.external_id, r.state, r.agent_id, iso(r.opened_at), iso(r.queued_at), iso(r.assigned_at),
    iso(r.resolved_at), iso(r.last_event_at), r.messages_in, r.messages_out, r.bot_responses, secs(r.first_response_ms),
    secs(r.bot_first_response_ms), secs(r.queue_wait_ms), secs(r.handle_time_ms), secs(r.resolution_time_ms),
    human.length, median(human), median(times(r.bot_response_times_json)), r.reopen_count,
  ];
}

/** `GET /api/projects/:project/export/conversations.csv`: conversations opened in the range, one row each with their metrics. */
export const conversationsExport = new Hono<ApiEnv>();

conversationsExport.get("/conversations.csv", (c) => {
  const f = parseFilters(c.req.query());
  const project = c.get("project").id;
  const name = `conversations-${project}-${new Date(f.from).toISOString().slice(0, 10)}-${new Date(f.to).toISOString().slice(0, 10)}.csv`;
  return new Response(csvStream(HEADER, conversationPages(c.env.DB, project, f.from, f.to)), { headers: csvHeaders(name) });
});

/** Pages of conversations opened in [from, to), by keyset on (opened_at, conversation_id); null when done. */
function conversationPages(db: D1Database, project: string, from: number, to: number) {
  let after: [number, string] | null = null;
  let done = false;
  return async (): Promise<unknown[][] | null> => {
    if (done) return null;
    const keyset = after ? "AND (opened_at > ? OR (opened_at = ? AND conversation_id > ?))" : "";
    const { results } = await db
      .prepare(
        `SELECT * FROM conversations WHERE project_id = ? AND opened_at >= ? AND opened_at < ? ${keyset}
         ORDER BY opened_at, conversation_id LIMIT ?`,
      )
      .bind(project, from, to, ...(after ? [after[0], after[0], after[1]] : []), PAGE_SIZE)
      .all<Row>();
    const last = results.at(-1);
    if (results.length < PAGE_SIZE || !last) done = true;
    else after = [last.opened_at as number, last.conversation_id as string];
    return results.map(values);
  };
}
