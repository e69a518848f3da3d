import { env } from "cloudflare:test";
import type { EventRecordInput } from "../../workers/contract";
import type { ConversationDO } from "../../workers/conversations/object";

/** A fresh conversation of the demo project with its own phone number. */
export function newConversation() {
  const phone = "+2547" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
  return { phone, conversationId: `wa:demo:${phone}:${crypto.randomUUID().slice(0, 8)}` };
}

/** A stored-shape WhatsApp event of that conversation, `at` epoch ms. */
export function waEvent(
  conv: { phone: string; conversationId: string },
  name: string,
  at: number,
  properties: Record<string, unknown> = {},
): EventRecordInput {
  return {
    event_id: `${name}-${crypto.randomUUID()}`,
    project_id: "demo",
    event_name: name,
    channel_type: "whatsapp",
    timestamp: at,
    received_at: at,
    external_id: conv.phone,
    conversation_id: conv.conversationId,
    properties: { provider: "meta", ...properties },
  };
}

export function conversationStub(conversationId: string) {
  const ns = env.CONVERSATIONS as DurableObjectNamespace<ConversationDO>;
  return ns.get(ns.idFromName(`demo:${conversationId}`));
}

export function conversationRow(conversationId: string) {
  return env.DB.prepare("SELECT * FROM conversations WHERE project_id = 'demo' AND conversation_id = ?")
    .bind(conversationId)
    .first<Record<string, unknown>>();
}
