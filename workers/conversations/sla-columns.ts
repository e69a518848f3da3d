import type { ConversationSummary } from "../contract";
import { slaState } from "./sla";

/** Business-hour duration columns and the key of `business` each stores (durations ms, response times a JSON array). */
export const BUSINESS_COLUMNS = [
  ["first_response_bms", "first_response_ms"],
  ["bot_first_response_bms", "bot_first_response_ms"],
  ["handoff_wait_bms", "handoff_wait_ms"],
  ["queue_wait_bms", "queue_wait_ms"],
  ["handle_time_bms", "handle_time_ms"],
  ["resolution_time_bms", "resolution_time_ms"],
  ["response_times_bms_json", "response_times"],
  ["bot_response_times_bms_json", "bot_response_times"],
] as const;

/** SLA columns of a cycle (and, for its latest cycle, of the conversation) and the key of `sla` each stores. */
export const CYCLE_SLA_COLUMNS = [
  ["sla_policy_id", "policy_id"],
  ["sla_first_response", "first_response"],
  ["sla_first_response_due_at", "first_response_due_at"],
  ["sla_resolution", "resolution"],
  ["sla_resolution_due_at", "resolution_due_at"],
] as const;

/** The extra cycle columns and their values in SQL over a `json_each` row of cycles. */
export const CYCLE_EXTRA_SQL: [string, string][] = [
  ...BUSINESS_COLUMNS.map(([c, k]): [string, string] =>
    c.endsWith("_json") ? [c, `coalesce(json_extract(value, '$.business.${k}'), '[]')`] : [c, `json_extract(value, '$.business.${k}')`],
  ),
  ...CYCLE_SLA_COLUMNS.map(([c, k]): [string, string] => [c, `json_extract(value, '$.sla.${k}')`]),
];

/** The conversation row's business and SLA values: the latest cycle's SLA, and how many targets its cycles breached. */
export function slaRowValues(s: ConversationSummary): Record<string, unknown> {
  const b = s.business;
  const sla = s.cycles.at(-1)?.sla ?? null;
  return {
    ...Object.fromEntries(BUSINESS_COLUMNS.map(([c, k]) => [c, c.endsWith("_json") ? JSON.stringify(b?.[k] ?? []) : (b?.[k] ?? null)])),
    ...Object.fromEntries(CYCLE_SLA_COLUMNS.map(([c, k]) => [c, sla?.[k] ?? null])),
    sla_breaches: s.cycles.reduce((n, cy) => n + slaState(cy.sla).breached.length, 0),
  };
}
