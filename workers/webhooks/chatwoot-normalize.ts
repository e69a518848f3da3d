import { z } from "zod";
import type { QueueMessageInput } from "../contract";
import { contentLength, toMillis, whatsAppEvent } from "./events";
import { inboundMessages } from "./inbound";
import { toE164 } from "../lib/phone";

const id = z.union([z.number(), z.string().max(64)]);

/** The parts of Chatwoot's `message_created` payload Junction reads (loosely: Chatwoot adds fields). */
export const chatwootMessageSchema = z.looseObject({
  event: z.literal("message_created"),
  id,
  content: z.string().nullish(),
  content_type: z.string().max(64).nullish(),
  created_at: z.union([z.string(), z.number()]).nullish(),
  message_type: z.union([z.string(), z.number()]),
  private: z.boolean().nullish(),
  source_id: z.string().max(190).nullish(),
  attachments: z.array(z.looseObject({ file_type: z.string().max(64).optional() })).nullish(),
  sender: z.looseObject({ id: id.nullish(), name: z.string().nullish(), type: z.string().max(32).nullish() }).nullish(),
  inbox: z.looseObject({ id: id.nullish() }).nullish(),
  account: z.looseObject({ id }),
  conversation: z.looseObject({
    id,
    inbox_id: id.nullish(),
    contact_inbox: z.looseObject({ source_id: z.string().nullish() }).nullish(),
    meta: z.looseObject({ sender: z.looseObject({ phone_number: z.string().nullish(), name: z.string().nullish() }).nullish() }).nullish(),
  }),
});
export type ChatwootMessage = z.infer<typeof chatwootMessageSchema>;

// Chatwoot sends message_type as a name in webhooks and as an enum number elsewhere.
const DIRECTION: Record<string, "incoming" | "outgoing"> = { incoming: "incoming", "0": "incoming", outgoing: "outgoing", "1": "outgoing" };

/** Queue messages for one Chatwoot message (none for private notes, activity rows, non-phone contacts). */
export function normalizeChatwootMessage(
  env: Cloudflare.Env,
  project: string,
  m: ChatwootMessage,
  receivedAt: number,
): QueueMessageInput[] {
  const direction = DIRECTION[String(m.message_type)];
  const c = m.conversation;
  const phone = toE164(c.meta?.sender?.phone_number) ?? toE164(c.contact_inbox?.source_id);
  if (m.private || !direction || !phone) return [];
  const attachments = m.attachments ?? [];
  const common = {
    provider: "chatwoot",
    crm_message_id: String(m.id),
    crm_account_id: m.account.id,
    crm_conversation_id: c.id,
    crm_inbox_id: m.inbox?.id ?? c.inbox_id ?? undefined,
    wa_id: phone.slice(1),
    contact_name: (c.meta?.sender?.name ?? undefined)?.slice(0, 256),
    message_type: attachments[0]?.file_type ?? m.content_type ?? "text",
    has_media: attachments.length > 0,
  };
  const timestamp = toMillis(m.created_at, receivedAt);
  if (direction === "incoming") {
    // source_id is the wamid in WhatsApp inboxes: the same key as Meta's copy, so it counts once.
    const key = m.source_id ?? `chatwoot:${m.account.id}:${m.id}`;
    return inboundMessages(env, {
      project,
      phone,
      key,
      timestamp,
      receivedAt,
      text: m.content ?? null,
      properties: { ...common, provider_message_id: key },
    });
  }
  const senderType = m.sender?.type ?? undefined;
  const bot = senderType === "agent_bot";
  const event = whatsAppEvent({
    id: `chatwoot:msg:${m.account.id}:${m.id}`,
    name: bot ? "bot_response" : "message_sent",
    project,
    timestamp,
    receivedAt,
    phone,
    properties: {
      ...common,
      direction: "outbound",
      provider_message_id: String(m.id),
      source: bot ? "crm_bot" : senderType === "user" ? "crm_agent" : "crm_automation",
      sender: bot ? "bot" : senderType === "user" ? "agent" : "automation",
      sender_type: senderType,
      agent_id: senderType === "user" && m.sender?.id != null ? String(m.sender.id) : undefined,
      agent_name: senderType === "user" ? (m.sender?.name ?? undefined)?.slice(0, 256) : undefined,
      content_length: contentLength(m.content),
    },
  });
  return [{ kind: "event", event }];
}
