import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Identity links: every known id of a person points at the same `person_id`. Linking two ids
 * merges their people. An id without a row is its own person (`a:<anon>`, `x:<phone>`, `u:<user>`).
 */
export const identities = sqliteTable(
  "identities",
  {
    projectId: text("project_id").notNull(),
    kind: text("kind", { enum: ["anonymous_id", "external_id", "user_id"] }).notNull(),
    value: text("value").notNull(),
    personId: text("person_id").notNull(),
    linkedAt: integer("linked_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.kind, t.value] }),
    index("identities_project_person").on(t.projectId, t.personId),
    check("identities_kind", sql`${t.kind} IN ('anonymous_id','external_id','user_id')`),
  ],
);

/** Issued handshake tokens (only their SHA-256 is kept); the HandshakeDO enforces single use. */
export const handshakes = sqliteTable(
  "handshakes",
  {
    tokenHash: text("token_hash").primaryKey(),
    projectId: text("project_id").notNull(),
    externalId: text("external_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    issuedAt: integer("issued_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    /** The token's HandshakeDO id (hex of `idFromName(token)`), so erasing the contact reaches it. */
    objectId: text("object_id"),
  },
  (t) => [
    index("handshakes_project_issued").on(t.projectId, t.issuedAt),
    index("handshakes_project_external").on(t.projectId, t.externalId),
    // The bot report joins a range's conversations to the links they sent (migration 0029).
    index("handshakes_project_conversation").on(t.projectId, t.conversationId, t.externalId),
  ],
);

/** One row per `handshake_complete` event (keyed by project and event id, so redelivery never counts twice). */
export const handshakeAttempts = sqliteTable(
  "handshake_attempts",
  {
    eventId: text("event_id").notNull(),
    projectId: text("project_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    outcome: text("outcome", { enum: ["redeemed", "expired", "unknown", "reused"] }).notNull(),
    anonymousId: text("anonymous_id"),
    attemptedAt: integer("attempted_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.eventId] }),
    index("handshake_attempts_project_outcome").on(t.projectId, t.outcome, t.attemptedAt),
  ],
);
