import { z } from "zod";
import { whatsAppIdSchema } from "./ids";

/** A contact seen in an inbound message, and its consent when the message was an opt-out/opt-in keyword. */
export const contactMessageSchema = z.object({
  kind: z.literal("contact"),
  project_id: z.string().min(1).max(64),
  external_id: whatsAppIdSchema,
  seen_at: z.number().int().nonnegative(),
  consent: z.enum(["opted_in", "opted_out"]).nullish(),
  consent_at: z.number().int().nonnegative().nullish(),
});
export type ContactMessage = z.infer<typeof contactMessageSchema>;

/**
 * Ids seen together for one WhatsApp contact (a phone beside its BSUID, or the previous id beside
 * the new one on `user_changed_number` / `user_changed_user_id`): linked as one person.
 */
export const identityLinkMessageSchema = z.object({
  kind: z.literal("identity_link"),
  project_id: z.string().min(1).max(64),
  a: whatsAppIdSchema,
  b: whatsAppIdSchema,
  at: z.number().int().nonnegative(),
});
export type IdentityLinkMessage = z.infer<typeof identityLinkMessageSchema>;

export const WEBHOOK_PROVIDERS = ["meta", "twilio", "chatwoot", "crm"] as const;
/** accepted | ignored (authentic, nothing to record) | invalid (authentic, unparseable) | unmapped (no project claims its account). */
export const DELIVERY_OUTCOMES = ["accepted", "ignored", "invalid", "unmapped"] as const;

/** The audit record of one authentic webhook delivery (no payload, only what it produced). */
export const webhookDeliveryMessageSchema = z.object({
  kind: z.literal("webhook_delivery"),
  id: z.string().min(1).max(128),
  project_id: z.string().min(1).max(64),
  provider: z.enum(WEBHOOK_PROVIDERS),
  endpoint: z.string().max(128),
  received_at: z.number().int().nonnegative(),
  verified: z.boolean(),
  size_bytes: z.number().int().nonnegative(),
  outcome: z.enum(DELIVERY_OUTCOMES),
  http_status: z.number().int(),
  // Bounded so one audit message stays far below the Queue's 128 KB message limit.
  event_ids: z.array(z.string().max(200)).max(500),
  delivery_ref: z.string().max(128).nullish(),
  /** Unmapped deliveries only: the provider accounts (`meta:<phone_number_id>`…) no project claims. */
  accounts: z.array(z.string().max(200)).max(500).optional(),
});

/**
 * Audit rows of deliveries whose account maps to no project are filed under this id. Project ids
 * start with a letter or digit, so it can never be a real project.
 */
export const UNMAPPED_PROJECT = "_unmapped";
export type WebhookDeliveryMessage = z.infer<typeof webhookDeliveryMessageSchema>;
