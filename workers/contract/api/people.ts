import { z } from "zod";

/** How many of each kind of record an erasure removed (docs/privacy.md). */
export const erasedCountsSchema = z.strictObject({
  /** Raw events (web and WhatsApp) of any of the person's ids or conversations. */
  events: z.number().int().nonnegative(),
  /** Identity links between the person's ids. */
  identities: z.number().int().nonnegative(),
  /** Conversation summaries (D1 rows). */
  conversations: z.number().int().nonnegative(),
  /** Conversation Durable Objects whose stored events and state were wiped. */
  conversation_objects: z.number().int().nonnegative(),
  /** Contacts (first/last seen, consent). */
  contacts: z.number().int().nonnegative(),
  /** Issued handshake tokens (D1 rows). */
  handshakes: z.number().int().nonnegative(),
  /** Handshake Durable Objects (token, contact, redemption) wiped. */
  handshake_objects: z.number().int().nonnegative(),
  /** Recorded handshake attempts. */
  handshake_attempts: z.number().int().nonnegative(),
  /** Session rows of the rollups keyed by the person's sessions (the aggregate totals stay). */
  sessions: z.number().int().nonnegative(),
  /** The same sessions' rows per filter value (the aggregate totals stay). */
  filter_sessions: z.number().int().nonnegative(),
  /** Webhook deliveries whose references to the erased events were removed (the delivery stays). */
  deliveries: z.number().int().nonnegative(),
  /** Dead letters carrying the person's events, contact or conversations. */
  dead_letters: z.number().int().nonnegative(),
  /** CSAT responses of the person's contacts or conversations. */
  csat_responses: z.number().int().nonnegative(),
  /** Campaign recipient rows (the person's sends and their outcomes). */
  campaign_recipients: z.number().int().nonnegative(),
});
export type ErasedCounts = z.infer<typeof erasedCountsSchema>;

/** `DELETE /people` (200): the ids that were erased (every id linked to the one asked about) and the counts per kind. */
export const personErasedSchema = z.strictObject({
  anonymous_ids: z.array(z.string()),
  external_ids: z.array(z.string()),
  user_ids: z.array(z.string()),
  erased: erasedCountsSchema,
});
export type PersonErased = z.infer<typeof personErasedSchema>;
