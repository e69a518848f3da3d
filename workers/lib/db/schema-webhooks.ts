import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * WhatsApp contacts seen by a project, keyed by E.164 phone. Consent is decided at the edge from
 * opt-out/opt-in keywords (the text itself is never stored); null = the contact never said either.
 */
export const contacts = sqliteTable(
  "contacts",
  {
    projectId: text("project_id").notNull(),
    externalId: text("external_id").notNull(),
    firstSeenAt: integer("first_seen_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    consent: text("consent", { enum: ["opted_in", "opted_out"] }),
    consentChangedAt: integer("consent_changed_at"),
    // Set by contact import (workers/contacts/import.ts).
    name: text("name"),
    attributes: text("attributes").notNull().default("{}"),
    timezone: text("timezone"),
    consentSource: text("consent_source"),
    importHash: text("import_hash"),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.externalId] }), index("contacts_project_consent").on(t.projectId, t.consent)],
);

/**
 * One row per authentic webhook delivery (and per project it touched), so "did we receive it?"
 * has an answer. Holds sizes and the event ids produced, never the payload.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    provider: text("provider").notNull(),
    endpoint: text("endpoint").notNull(),
    receivedAt: integer("received_at").notNull(),
    verified: integer("verified", { mode: "boolean" }).notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** accepted | ignored (authentic but nothing to record) | invalid (authentic but unparseable) | unmapped (no project claims the account). */
    outcome: text("outcome").notNull(),
    httpStatus: integer("http_status").notNull(),
    /** JSON array of the event ids this delivery produced (duplicates included: they dedupe in `events`). */
    eventIds: text("event_ids").notNull().default("[]"),
    /** The provider's own delivery reference when it sends one (X-Chatwoot-Delivery, I-Twilio-Idempotency-Token). */
    deliveryRef: text("delivery_ref"),
    /** Unmapped deliveries: JSON array of the provider accounts no project claims. */
    accounts: text("accounts"),
  },
  (t) => [index("webhook_deliveries_project_time").on(t.projectId, t.receivedAt)],
);
