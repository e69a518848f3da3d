import { z } from "zod";

// Imported by contract/queue.ts, so this file depends on zod only (no cycle back into the contract).

/** A contact seen in an inbound message, and its consent when the message was an opt-out/opt-in keyword. */
export const contactMessageSchema = z.object({
  kind: z.literal("contact"),
  project_id: z.string().min(1).max(64),
  external_id: z.string().regex(/^\+[1-9]\d{6,14}$/, "E.164 phone"),
  seen_at: z.number().int().nonnegative(),
  consent: z.enum(["opted_in", "opted_out"]).nullish(),
  consent_at: z.number().int().nonnegative().nullish(),
});
export type ContactMessage = z.infer<typeof contactMessageSchema>;

/** The audit record of one authentic webhook delivery (no payload, only what it produced). */
export const webhookDeliveryMessageSchema = z.object({
  kind: z.literal("webhook_delivery"),
  id: z.string().min(1).max(128),
  project_id: z.string().min(1).max(64),
  provider: z.enum(["meta", "twilio", "chatwoot", "crm"]),
  endpoint: z.string().max(128),
  received_at: z.number().int().nonnegative(),
  verified: z.boolean(),
  size_bytes: z.number().int().nonnegative(),
  outcome: z.enum(["accepted", "ignored", "invalid"]),
  http_status: z.number().int(),
  // Bounded so one audit message stays far below the Queue's 128 KB message limit.
  event_ids: z.array(z.string().max(200)).max(500),
  delivery_ref: z.string().max(128).nullish(),
});
export type WebhookDeliveryMessage = z.infer<typeof webhookDeliveryMessageSchema>;
