import { z } from "zod";
import { CONVERSATION_ID_MAX, WHATSAPP_ID_MAX } from "./ids";
import { businessDurationsSchema, cycleSlaSchema } from "./sla";

/**
 * Delivery statuses that mean the message did not reach the contact. Each is stored as the
 * provider said it (Meta's `failed`; Twilio's `failed`, `undelivered`, `canceled`), and all count
 * as failed in delivery metrics and conversation delivery state.
 */
export const FAILED_STATUSES = ["failed", "undelivered", "canceled"] as const;

/** States of a WhatsApp conversation's state machine (workers/conversations/state-machine.ts). */
export const STATES = ["bot", "queued", "agent", "resolved"] as const;
export type ConversationState = (typeof STATES)[number];

const ms = z.number().int().nullable();

/** Who resolved a conversation (cycle): an agent, the bot, the system's idle auto-close, or the customer. */
export const RESOLVERS = ["agent", "bot", "idle", "customer"] as const;
export type ResolvedBy = (typeof RESOLVERS)[number];

// A reopened conversation keeps one row per cycle; a Queue message carries at most this many (the latest).
export const MAX_CYCLES = 50;

/** One cycle of a conversation: the first open (cycle 0) or a reopen, with its own agent and metrics. */
export const conversationCycleSchema = z.object({
  cycle: z.number().int().nonnegative(),
  agent_id: z.string().max(200).nullable(),
  opened_at: z.number().int(),
  queued_at: ms,
  assigned_at: ms,
  resolved_at: ms,
  resolved_by: z.enum(RESOLVERS).nullable(),
  first_response_ms: ms,
  handoff_wait_ms: ms,
  queue_wait_ms: ms,
  handle_time_ms: ms,
  resolution_time_ms: ms,
  bot_first_response_ms: ms,
  response_times: z.array(z.number().int()).max(1000),
  bot_response_times: z.array(z.number().int()).max(1000),
  /** The same durations in business hours (set by the Durable Object when it sends the summary). */
  business: businessDurationsSchema.optional(),
  /** The SLA policy that applied and its targets' status; absent when no policy applied. */
  sla: cycleSlaSchema.nullable().optional(),
});
export type ConversationCycle = z.infer<typeof conversationCycleSchema>;
// A Queue message holds at most 128 KB: keep the first response times of very long conversations.
export const MAX_RESPONSE_TIMES = 1000;

/** Per-conversation summary the ConversationDO sends to D1 (`conversations` table) via the Queue. */
export const conversationSummarySchema = z.object({
  project_id: z.string().min(1).max(64),
  conversation_id: z.string().min(1).max(CONVERSATION_ID_MAX),
  external_id: z.string().max(WHATSAPP_ID_MAX).nullable(),
  state: z.enum(STATES),
  agent_id: z.string().max(200).nullable(),
  opened_at: ms,
  queued_at: ms,
  assigned_at: ms,
  resolved_at: ms,
  last_event_at: ms,
  messages_in: z.number().int().nonnegative(),
  messages_out: z.number().int().nonnegative(),
  bot_responses: z.number().int().nonnegative(),
  first_response_ms: ms,
  bot_first_response_ms: ms,
  queue_wait_ms: ms,
  handle_time_ms: ms,
  resolution_time_ms: ms,
  response_times: z.array(z.number().int()).max(MAX_RESPONSE_TIMES),
  bot_response_times: z.array(z.number().int()).max(MAX_RESPONSE_TIMES),
  reopen_count: z.number().int().nonnegative(),
  resolved_by: z.enum(RESOLVERS).nullable().default(null),
  handoff_wait_ms: ms.default(null),
  handoffs: z.number().int().nonnegative().default(0),
  follow_ups: z.number().int().nonnegative().default(0),
  labels: z.array(z.string().max(100)).max(50).default([]),
  cycles: z.array(conversationCycleSchema).max(MAX_CYCLES).default([]),
  /** The conversation's durations in business hours (first ones, sums over cycles, every response). */
  business: businessDurationsSchema.optional(),
  /** Outbound messages by their best delivery status (not stored in D1; the events table has the detail). */
  delivery: z.record(z.string(), z.number().int()).default({}),
  updated_at: z.number().int(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const conversationSummaryMessageSchema = z.object({
  kind: z.literal("conversation_summary"),
  summary: conversationSummarySchema,
});
export type ConversationSummaryMessage = z.infer<typeof conversationSummaryMessageSchema>;
