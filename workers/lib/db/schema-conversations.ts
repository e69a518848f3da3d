import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { businessAndSlaColumns } from "./schema-sla";

/**
 * One row per WhatsApp conversation, upserted from ConversationDO summaries via the Queue.
 * Times are epoch ms, durations ms; nulls when a milestone was not reached. After a reopen the
 * milestone times describe the latest cycle and the durations add up over all cycles.
 */
export const conversations = sqliteTable(
  "conversations",
  {
    projectId: text("project_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    externalId: text("external_id"),
    state: text("state", { enum: ["bot", "queued", "agent", "resolved"] }).notNull(),
    agentId: text("agent_id"),
    openedAt: integer("opened_at"),
    queuedAt: integer("queued_at"),
    assignedAt: integer("assigned_at"),
    resolvedAt: integer("resolved_at"),
    lastEventAt: integer("last_event_at"),
    messagesIn: integer("messages_in").notNull().default(0),
    messagesOut: integer("messages_out").notNull().default(0),
    botResponses: integer("bot_responses").notNull().default(0),
    /** Human first response: excludes the time the bot owned the conversation. */
    firstResponseMs: integer("first_response_ms"),
    botFirstResponseMs: integer("bot_first_response_ms"),
    queueWaitMs: integer("queue_wait_ms"),
    handleTimeMs: integer("handle_time_ms"),
    resolutionTimeMs: integer("resolution_time_ms"),
    /** JSON array of every human response time (ms). */
    responseTimesJson: text("response_times_json").notNull().default("[]"),
    botResponseTimesJson: text("bot_response_times_json").notNull().default("[]"),
    reopenCount: integer("reopen_count").notNull().default(0),
    /** Who resolved the latest cycle: agent, bot, idle (the system's auto-close) or customer. */
    resolvedBy: text("resolved_by", { enum: ["agent", "bot", "idle", "customer"] }),
    /** The conversation's first human response measured from the handoff (or explicit assignment). */
    handoffWaitMs: integer("handoff_wait_ms"),
    handoffs: integer("handoffs").notNull().default(0),
    /** Short customer messages within the grace window after a resolution (they do not reopen). */
    followUps: integer("follow_ups").notNull().default(0),
    labelsJson: text("labels_json").notNull().default("[]"),
    /** Monotonic per conversation (set by its Durable Object): an older summary never overwrites a newer one. */
    updatedAt: integer("updated_at").notNull(),
    ...businessAndSlaColumns(),
    /** Targets breached over all the conversation's cycles. */
    slaBreaches: integer("sla_breaches").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.conversationId] }),
    index("conversations_project_opened").on(t.projectId, t.openedAt),
    index("conversations_project_state").on(t.projectId, t.state),
    index("conversations_project_agent").on(t.projectId, t.agentId),
    index("conversations_project_opened_id").on(t.projectId, t.openedAt, t.conversationId),
    index("conversations_project_resolved_by_opened").on(t.projectId, t.resolvedBy, t.openedAt),
  ],
);

/**
 * One row per cycle of a conversation (cycle 0 is the first open, each reopen adds one), so a
 * reopened conversation keeps each cycle's agent. Agent figures read these rows.
 */
export const conversationCycles = sqliteTable(
  "conversation_cycles",
  {
    projectId: text("project_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    cycle: integer("cycle").notNull(),
    agentId: text("agent_id"),
    openedAt: integer("opened_at").notNull(),
    queuedAt: integer("queued_at"),
    assignedAt: integer("assigned_at"),
    resolvedAt: integer("resolved_at"),
    resolvedBy: text("resolved_by", { enum: ["agent", "bot", "idle", "customer"] }),
    firstResponseMs: integer("first_response_ms"),
    handoffWaitMs: integer("handoff_wait_ms"),
    queueWaitMs: integer("queue_wait_ms"),
    handleTimeMs: integer("handle_time_ms"),
    resolutionTimeMs: integer("resolution_time_ms"),
    botFirstResponseMs: integer("bot_first_response_ms"),
    responseTimesJson: text("response_times_json").notNull().default("[]"),
    botResponseTimesJson: text("bot_response_times_json").notNull().default("[]"),
    updatedAt: integer("updated_at").notNull(),
    ...businessAndSlaColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.conversationId, t.cycle] }),
    index("conversation_cycles_project_sla_open").on(t.projectId, t.resolvedAt, t.slaPolicyId),
    index("conversation_cycles_project_opened").on(t.projectId, t.openedAt, t.agentId, t.resolvedBy),
    index("conversation_cycles_project_agent_opened").on(t.projectId, t.agentId, t.openedAt),
  ],
);
