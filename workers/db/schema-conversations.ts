import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
    /** Monotonic per conversation (set by its Durable Object): an older summary never overwrites a newer one. */
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.conversationId] }),
    index("conversations_project_opened").on(t.projectId, t.openedAt),
    index("conversations_project_state").on(t.projectId, t.state),
    index("conversations_project_agent").on(t.projectId, t.agentId),
  ],
);
