import { z } from "zod";
import { rejectedSchema } from "./errors";

/** Meta and Chatwoot webhooks (200): how many events the delivery produced, or that it was ignored. */
export const webhookAckSchema = z.strictObject({
  ok: z.literal(true),
  events: z.number().int().nonnegative().optional(),
  ignored: z.literal(true).optional(),
});
export type WebhookAck = z.infer<typeof webhookAckSchema>;

/** The CRM webhook (202): like `/capture`, partial acceptance with every refused event named. */
export const crmResponseSchema = z.strictObject({ accepted: z.number().int().nonnegative(), rejected: rejectedSchema });
export type CrmResponse = z.infer<typeof crmResponseSchema>;

/** Twilio webhooks answer an empty TwiML document, so Twilio sends no reply. */
export const twimlSchema = z.string().describe("an empty TwiML <Response/>");
