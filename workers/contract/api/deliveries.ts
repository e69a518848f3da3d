import { z } from "zod";
import { DELIVERY_OUTCOMES, WEBHOOK_PROVIDERS } from "../webhooks";
import { isoTimeSchema } from "./shared";

/** One webhook delivery as received: the audit trail answering "did we receive it?". */
export const webhookDeliverySchema = z.strictObject({
  id: z.string(),
  provider: z.enum(WEBHOOK_PROVIDERS),
  endpoint: z.string(),
  received_at: isoTimeSchema,
  verified: z.boolean(),
  size_bytes: z.number().int().nonnegative(),
  outcome: z.enum(DELIVERY_OUTCOMES),
  http_status: z.number().int(),
  event_ids: z.array(z.string()),
  delivery_ref: z.string().nullable(),
  /** Unmapped deliveries only: the provider accounts no project claims (empty otherwise). */
  accounts: z.array(z.string()),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** `GET /webhooks/deliveries` and `GET /api/webhooks/unmapped` (admin): newest first. */
export const deliveriesSchema = z.strictObject({ deliveries: z.array(webhookDeliverySchema) });
export type Deliveries = z.infer<typeof deliveriesSchema>;
