import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Column groups two tables share (each table needs its own builders, hence functions).
/** A session's span and size: rollup_sessions and its per-filter-value copy. */
const sessionSpan = () => ({
  channelType: text("channel_type").notNull(),
  isBot: integer("is_bot").notNull(),
  startedAt: integer("started_at").notNull(),
  endedAt: integer("ended_at").notNull(),
  pageviews: integer("pageviews").notNull(),
  events: integer("events").notNull(),
});

/** Sessions by the bucket of their start: rollup_session_totals and its per-filter-value copy. */
const sessionTotals = () => ({
  grain: integer("grain").notNull(),
  bucket: integer("bucket").notNull(),
  channelType: text("channel_type").notNull(),
  isBot: integer("is_bot").notNull(),
  sessions: integer("sessions").notNull(),
  pvSessions: integer("pv_sessions").notNull(),
  bounces: integer("bounces").notNull(),
  durationMs: integer("duration_ms").notNull(),
});

/**
 * Rollups maintained by the Queue consumer in the same D1 transaction as the event insert
 * (workers/consumer/rollups.ts), so the dashboard never scans raw events. Each event adds to its
 * bucket of three grains (`grain` 0/1/2 = 15-minute, hour, day UTC starts in epoch ms): every local
 * hour/day in any zone is an exact union of them, read with few rows (workers/rollups/grains.ts).
 * `dimension` '' with value '' is the all-events total; otherwise one of the DIMENSIONS whitelist.
 * Distinct visitors and sessions are sketches kept by UniquesDO (workers/objects/uniques.ts).
 */
export const rollupCounts = sqliteTable(
  "rollup_counts",
  {
    projectId: text("project_id").notNull(),
    dimension: text("dimension").notNull(),
    grain: integer("grain").notNull().default(0),
    bucket: integer("bucket").notNull(),
    value: text("value").notNull(),
    channelType: text("channel_type").notNull(),
    isBot: integer("is_bot").notNull(),
    events: integer("events").notNull(),
    pageviews: integer("pageviews").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.dimension, t.grain, t.bucket, t.value, t.channelType, t.isBot] })],
);

/** One row per session (web session_id, else WhatsApp conversation): start, end and page views for bounce rate and duration. */
export const rollupSessions = sqliteTable(
  "rollup_sessions",
  {
    projectId: text("project_id").notNull(),
    sessionKey: text("session_key").notNull(),
    ...sessionSpan(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.sessionKey, t.channelType, t.isBot] })],
);

/**
 * Sessions by the bucket of their start, per grain: counts, sessions with a page view, bounces
 * (exactly one) and summed duration. The consumer takes a touched session out before updating it
 * and adds it back after, so totals always equal a sum over rollup_sessions.
 */
export const rollupSessionTotals = sqliteTable(
  "rollup_session_totals",
  {
    projectId: text("project_id").notNull(),
    ...sessionTotals(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.grain, t.bucket, t.channelType, t.isBot] })],
);

/**
 * Sessions per value of a rollup-kept filter (country, device_type, utm_source, utm_medium,
 * utm_campaign, path; migration 0017), built from the session's events carrying that value, as a
 * filtered raw scan builds them.
 */
export const rollupFilterSessions = sqliteTable(
  "rollup_filter_sessions",
  {
    projectId: text("project_id").notNull(),
    filterDim: text("filter_dim").notNull(),
    filterValue: text("filter_value").notNull(),
    sessionKey: text("session_key").notNull(),
    ...sessionSpan(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.filterDim, t.filterValue, t.sessionKey, t.channelType, t.isBot] })],
);

/** rollup_session_totals per filter value: kept the same way (out before the upsert, back after). */
export const rollupFilterSessionTotals = sqliteTable(
  "rollup_filter_session_totals",
  {
    projectId: text("project_id").notNull(),
    filterDim: text("filter_dim").notNull(),
    filterValue: text("filter_value").notNull(),
    ...sessionTotals(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.filterDim, t.filterValue, t.grain, t.bucket, t.channelType, t.isBot] })],
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
