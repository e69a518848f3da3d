import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Rollups maintained by the Queue consumer in the same D1 transaction as the event insert
 * (workers/consumer/rollups.ts), so the dashboard never scans raw events. Buckets are 15-minute
 * UTC starts (epoch ms): every local hour/day in any zone is an exact union of them (docs/rollups.md).
 * `dimension` '' with value '' is the all-events total; otherwise one of the DIMENSIONS whitelist.
 */
export const rollupCounts = sqliteTable(
  "rollup_counts",
  {
    projectId: text("project_id").notNull(),
    dimension: text("dimension").notNull(),
    bucket: integer("bucket").notNull(),
    value: text("value").notNull(),
    channelType: text("channel_type").notNull(),
    isBot: integer("is_bot").notNull(),
    events: integer("events").notNull(),
    pageviews: integer("pageviews").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.dimension, t.bucket, t.value, t.channelType, t.isBot] })],
);

/**
 * Distinct counts can't be summed across buckets, so keep the set itself: one row per
 * (visitor or session, bucket, dimension value), inserted-or-ignored. COUNT(DISTINCT key) over any
 * union of buckets is then exact. kind 'v' = visitor (per dimension), 's' = session (total only).
 */
export const rollupUniques = sqliteTable(
  "rollup_uniques",
  {
    projectId: text("project_id").notNull(),
    kind: text("kind", { enum: ["v", "s"] }).notNull(),
    dimension: text("dimension").notNull(),
    bucket: integer("bucket").notNull(),
    value: text("value").notNull(),
    channelType: text("channel_type").notNull(),
    isBot: integer("is_bot").notNull(),
    key: text("key").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.kind, t.dimension, t.bucket, t.value, t.channelType, t.isBot, t.key] })],
);

/** One row per session (web session_id, else WhatsApp conversation): start, end and page views for bounce rate and duration. */
export const rollupSessions = sqliteTable(
  "rollup_sessions",
  {
    projectId: text("project_id").notNull(),
    sessionKey: text("session_key").notNull(),
    channelType: text("channel_type").notNull(),
    isBot: integer("is_bot").notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at").notNull(),
    pageviews: integer("pageviews").notNull(),
    events: integer("events").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.sessionKey, t.channelType, t.isBot] }),
    index("rollup_sessions_project_start").on(t.projectId, t.startedAt),
  ],
);

/** Saved funnel definitions: `definition` is the JSON of { steps, window, breakdown? } (workers/api/funnels/definition.ts). */
export const funnels = sqliteTable(
  "funnels",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    name: text("name").notNull(),
    definition: text("definition").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("funnels_project").on(t.projectId, t.createdAt)],
);
