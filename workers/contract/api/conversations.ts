import { z } from "zod";
import { RESOLVERS, STATES } from "../conversations";
import { SLA_STATUSES } from "../sla";

const iso = z.string().nullable();
const seconds = z.number().nullable();

/**
 * One conversation with its metrics: a row of `GET /conversations` and, with the same columns in
 * the same order, of `GET /export/conversations.csv` (`CONVERSATION_CSV_COLUMNS`; labels joined with `|`).
 * Times are ISO 8601 UTC, durations seconds (docs/support-metrics.md has every definition).
 */
export const conversationRowSchema = z.strictObject({
  conversation_id: z.string(),
  external_id: z.string().nullable(),
  state: z.enum(STATES),
  agent_id: z.string().nullable(),
  opened_at: iso,
  queued_at: iso,
  assigned_at: iso,
  resolved_at: iso,
  last_event_at: iso,
  messages_in: z.number().int(),
  messages_out: z.number().int(),
  bot_responses: z.number().int(),
  first_response_s: seconds,
  bot_first_response_s: seconds,
  queue_wait_s: seconds,
  handle_time_s: seconds,
  resolution_time_s: seconds,
  human_responses: z.number().int(),
  human_response_median_s: seconds,
  bot_response_median_s: seconds,
  reopen_count: z.number().int(),
  resolved_by: z.enum(RESOLVERS).nullable(),
  handoff_wait_s: seconds,
  handoffs: z.number().int(),
  follow_ups: z.number().int(),
  /** The conversation's latest CSAT score (1–5), null when never rated. */
  csat: z.number().int().nullable(),
  labels: z.array(z.string()),
  /** The SLA policy of the latest cycle, each target's status and deadline (null: no policy or the target does not apply). */
  sla_policy_id: z.string().nullable(),
  sla_first_response: z.enum(SLA_STATUSES).nullable(),
  sla_first_response_due_at: iso,
  sla_resolution: z.enum(SLA_STATUSES).nullable(),
  sla_resolution_due_at: iso,
  /** Targets breached over all the conversation's cycles. */
  sla_breaches: z.number().int(),
});
export type ConversationRow = z.infer<typeof conversationRowSchema>;

/** Columns of `GET /export/conversations.csv`, in order: the conversation list's row fields. */
export const CONVERSATION_CSV_COLUMNS = Object.keys(conversationRowSchema.shape) as (keyof ConversationRow)[];

/** `GET /conversations`: one page, newest opened first; `next` is the cursor of the following page (null at the end). */
export const conversationListSchema = z.strictObject({
  conversations: z.array(conversationRowSchema),
  next: z.string().nullable(),
});
export type ConversationList = z.infer<typeof conversationListSchema>;

/** Columns of `GET /export/funnel.csv` after the optional breakdown column (named after the dimension). */
export const FUNNEL_CSV_COLUMNS = [
  "step",
  "event",
  "channel",
  "count",
  "conversion_from_first",
  "conversion_from_previous",
  "drop_off",
  "median_seconds_to_convert",
] as const;
