import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A site/app whose events Junction collects. Every query is scoped by `id`. */
export const projects = sqliteTable("projects", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** JSON array of origins allowed to call /capture; `["*"]` allows any. */
  allowedOrigins: text("allowed_origins").notNull().default('["*"]'),
  /** SHA-256 hex of the project's read token (the token itself is never stored). */
  readTokenHash: text("read_token_hash"),
  /** JSON array of `provider:account` ids (e.g. `meta:<phone_number_id>`) routed to this project. */
  whatsappAccounts: text("whatsapp_accounts").notNull().default("[]"),
  /** ISO 3166-1 alpha-2 country national phone numbers typed without country code are read in; null: none. */
  defaultCountry: text("default_country"),
  /** A customer message this soon after a resolution, and short, is a follow-up ("thanks!"), not a reopen. */
  followUpGraceSeconds: integer("follow_up_grace_seconds").notNull().default(600),
  /** JSON array of the project's own hostnames: referrers from them are internal navigation, not referrers. */
  internalHosts: text("internal_hosts").notNull().default("[]"),
  /** JSON business hours (zone, weekly open intervals, holidays; contract/business-hours.ts); null: every hour counts. */
  businessHours: text("business_hours"),
  createdAt: integer("created_at").notNull().default(sql`(unixepoch() * 1000)`),
  /** Days raw events are kept (the scheduled retention run drops older ones; rollups stay); null keeps them. */
  retentionDays: integer("retention_days"),
});

/**
 * Every event of every channel, one row each (docs/architecture.md, event contract). `(project_id, event_id)`
 * is the idempotency key: ids are unique within a project, and two projects may store the same id.
 */
export const events = sqliteTable(
  "events",
  {
    eventId: text("event_id").notNull(),
    projectId: text("project_id").notNull(),
    eventName: text("event_name").notNull(),
    channelType: text("channel_type", { enum: ["web", "whatsapp"] }).notNull(),
    timestamp: integer("timestamp").notNull(),
    receivedAt: integer("received_at").notNull(),
    anonymousId: text("anonymous_id"),
    sessionId: text("session_id"),
    userId: text("user_id"),
    externalId: text("external_id"),
    conversationId: text("conversation_id"),
    handshakeToken: text("handshake_token"),
    url: text("url"),
    path: text("path"),
    referrer: text("referrer"),
    title: text("title"),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    utmTerm: text("utm_term"),
    utmContent: text("utm_content"),
    country: text("country"),
    region: text("region"),
    city: text("city"),
    timezone: text("timezone"),
    colo: text("colo"),
    asn: integer("asn"),
    deviceType: text("device_type"),
    browser: text("browser"),
    os: text("os"),
    isBot: integer("is_bot", { mode: "boolean" }).notNull().default(false),
    properties: text("properties").notNull().default("{}"),
    /** Which consumer invocation inserted the row: lets rollups count only rows new in that batch. */
    ingestId: text("ingest_id"),
    /**
     * The person the event belongs to through identity links (`personSql` in workers/identity/links.ts), set at
     * insert and recomputed for a person's events whenever a link merges two people.
     */
    personId: text("person_id"),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.eventId] }),
    index("events_project_time").on(t.projectId, t.timestamp),
    index("events_project_name_time").on(t.projectId, t.eventName, t.timestamp),
    // Funnel steps: a page's views are one range, and the trailing columns cover what a step reads
    // (person, channel, properties), so a funnel never fetches table rows.
    index("events_project_name_path_time").on(
      t.projectId,
      t.eventName,
      t.path,
      t.timestamp,
      t.isBot,
      t.channelType,
      t.personId,
      t.properties,
    ),
    // Funnel steps after the first: one seek per entrant, from the time they reached the step before;
    // covering, `properties` included, so a step's `where` needs no table row (migration 0027).
    index("events_project_person_name_time").on(
      t.projectId,
      t.personId,
      t.eventName,
      t.timestamp,
      t.isBot,
      t.channelType,
      t.path,
      t.properties,
    ),
    // WhatsApp figures: a partial covering index over WhatsApp events only (migration 0028); queries name
    // `channel_type = 'whatsapp'` literally so SQLite can prove the partial index applies.
    index("events_whatsapp_name_time")
      .on(t.projectId, t.eventName, t.timestamp, t.isBot, t.channelType, t.externalId, t.eventId, t.properties)
      .where(sql`channel_type = 'whatsapp'`),
    index("events_project_anon_time").on(t.projectId, t.anonymousId, t.timestamp),
    index("events_project_user_time").on(t.projectId, t.userId, t.timestamp),
    index("events_project_external_time").on(t.projectId, t.externalId, t.timestamp),
    index("events_project_conversation_time").on(t.projectId, t.conversationId, t.timestamp),
  ],
);

/** Queue messages that could not be stored: kept for inspection and replay, never dropped. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    queue: text("queue").notNull(),
    messageId: text("message_id").notNull(),
    body: text("body").notNull(),
    error: text("error").notNull(),
    attempts: integer("attempts").notNull(),
    failedAt: integer("failed_at").notNull(),
    replayedAt: integer("replayed_at"),
  },
  (t) => [index("dead_letters_failed").on(t.failedAt)],
);
