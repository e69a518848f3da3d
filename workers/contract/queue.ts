import { z } from "zod";
import { eventRecordSchema } from "./events";
import { contactMessageSchema, identityLinkMessageSchema, webhookDeliveryMessageSchema } from "./webhooks";
import { conversationSummaryMessageSchema } from "./conversations";
import { agentStatusMessageSchema, csatMessageSchema } from "./support";

/**
 * Messages on the `events` Queue. Every producer (capture, webhooks, Durable Objects) sends one
 * of these; the consumer re-validates them, because a Queue is a trust boundary too.
 */
export const eventMessageSchema = z.object({
  kind: z.literal("event"),
  event: eventRecordSchema,
  /** Raw User-Agent for the consumer to parse; never stored. */
  user_agent: z.string().max(1024).nullish(),
  /** `request.cf.botManagement.score` when the zone has Bot Management (1 = bot, 99 = human). */
  bot_score: z.number().nullish(),
  verified_bot: z.boolean().nullish(),
});
export type EventMessage = z.infer<typeof eventMessageSchema>;

export const queueMessageSchema = z.discriminatedUnion("kind", [
  eventMessageSchema,
  contactMessageSchema,
  identityLinkMessageSchema,
  webhookDeliveryMessageSchema,
  conversationSummaryMessageSchema,
  csatMessageSchema,
  agentStatusMessageSchema,
]);
export type QueueMessage = z.infer<typeof queueMessageSchema>;
/** What producers send (defaults not yet applied). */
export type QueueMessageInput = z.input<typeof queueMessageSchema>;
