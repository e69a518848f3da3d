import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Ids of events erased with their person (docs/privacy.md): the consumer never stores one of them
 * again, so a retried or late delivery cannot bring an erased event back. New events carry new ids.
 * Rows older than 30 days are pruned by the scheduled retention run.
 */
export const erasedEvents = sqliteTable(
  "erased_events",
  {
    projectId: text("project_id").notNull(),
    eventId: text("event_id").notNull(),
    erasedAt: integer("erased_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.eventId] }), index("erased_events_erased_at").on(t.erasedAt)],
);
