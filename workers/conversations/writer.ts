import type { ConversationSummaryMessage } from "../contract";
import { BUSINESS_COLUMNS, CYCLE_EXTRA_SQL, CYCLE_SLA_COLUMNS, slaRowValues } from "./sla-columns";

const COLUMNS = [
  "project_id",
  "conversation_id",
  "external_id",
  "state",
  "agent_id",
  "opened_at",
  "queued_at",
  "assigned_at",
  "resolved_at",
  "last_event_at",
  "messages_in",
  "messages_out",
  "bot_responses",
  "first_response_ms",
  "bot_first_response_ms",
  "queue_wait_ms",
  "handle_time_ms",
  "resolution_time_ms",
  "response_times_json",
  "bot_response_times_json",
  "reopen_count",
  "resolved_by",
  "handoff_wait_ms",
  "handoffs",
  "follow_ups",
  "labels_json",
  "updated_at",
  ...BUSINESS_COLUMNS.map(([c]) => c),
  ...CYCLE_SLA_COLUMNS.map(([c]) => c),
  "sla_breaches",
] as const;

// Summaries can arrive out of order (Queue retries): an older one never overwrites a newer one.
const UPSERT_SQL = `INSERT INTO conversations (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})
ON CONFLICT(project_id, conversation_id) DO UPDATE SET
${COLUMNS.slice(2)
  .map((c) => `${c} = excluded.${c}`)
  .join(", ")}
WHERE excluded.updated_at >= conversations.updated_at`;

const CYCLE_COLUMNS = [
  "cycle",
  "agent_id",
  "opened_at",
  "queued_at",
  "assigned_at",
  "resolved_at",
  "resolved_by",
  "first_response_ms",
  "handoff_wait_ms",
  "queue_wait_ms",
  "handle_time_ms",
  "resolution_time_ms",
  "bot_first_response_ms",
] as const;

// Every cycle of the summary in one statement: the cycles travel as one JSON parameter (D1 allows 100 per statement).
const CYCLES_SQL = `INSERT INTO conversation_cycles (project_id, conversation_id, ${CYCLE_COLUMNS.join(", ")},
  response_times_json, bot_response_times_json, updated_at,
  ${CYCLE_EXTRA_SQL.map(([c]) => c).join(", ")})
SELECT ?1, ?2, ${CYCLE_COLUMNS.map((c) => `json_extract(value, '$.${c}')`).join(", ")},
  json_extract(value, '$.response_times'), json_extract(value, '$.bot_response_times'), ?3,
  ${CYCLE_EXTRA_SQL.map(([, sql]) => sql).join(", ")}
FROM json_each(?4) WHERE true
ON CONFLICT(project_id, conversation_id, cycle) DO UPDATE SET
${[...CYCLE_COLUMNS.slice(1), "response_times_json", "bot_response_times_json", "updated_at", ...CYCLE_EXTRA_SQL.map(([c]) => c)].map((c) => `${c} = excluded.${c}`).join(", ")}
WHERE excluded.updated_at >= conversation_cycles.updated_at`;

/** The upserts of a `conversation_summary` Queue message (the conversation and its cycles), run in the consumer's batch transaction. */
export function summaryStatements(db: D1Database, m: ConversationSummaryMessage): D1PreparedStatement[] {
  const s = m.summary;
  const row: Record<string, unknown> = {
    ...s,
    response_times_json: JSON.stringify(s.response_times),
    bot_response_times_json: JSON.stringify(s.bot_response_times),
    labels_json: JSON.stringify(s.labels),
    ...slaRowValues(s),
  };
  const statements = [db.prepare(UPSERT_SQL).bind(...COLUMNS.map((c) => row[c] ?? null))];
  if (s.cycles.length)
    statements.push(db.prepare(CYCLES_SQL).bind(s.project_id, s.conversation_id, s.updated_at, JSON.stringify(s.cycles)));
  return statements;
}
