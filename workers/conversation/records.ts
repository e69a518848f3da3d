import type { ConversationSummaryMessage } from "./summary";

const COLUMNS = [
  "project_id", "conversation_id", "external_id", "state", "agent_id", "opened_at", "queued_at", "assigned_at",
  "resolved_at", "last_event_at", "messages_in", "messages_out", "bot_responses", "first_response_ms",
  "bot_first_response_ms", "queue_wait_ms", "handle_time_ms", "resolution_time_ms", "response_times_json",
  "bot_response_times_json", "reopen_count", "updated_at",
] as const;

// Summaries can arrive out of order (Queue retries): an older one never overwrites a newer one.
const UPSERT_SQL = `INSERT INTO conversations (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})
ON CONFLICT(project_id, conversation_id) DO UPDATE SET
${COLUMNS.slice(2).map((c) => `${c} = excluded.${c}`).join(", ")}
WHERE excluded.updated_at >= conversations.updated_at`;

/** The upsert of a `conversation_summary` Queue message, run in the consumer's batch transaction. */
export function summaryStatements(db: D1Database, m: ConversationSummaryMessage): D1PreparedStatement[] {
  const s = m.summary;
  const row: Record<string, unknown> = {
    ...s,
    response_times_json: JSON.stringify(s.response_times),
    bot_response_times_json: JSON.stringify(s.bot_response_times),
  };
  return [db.prepare(UPSERT_SQL).bind(...COLUMNS.map((c) => row[c] ?? null))];
}
