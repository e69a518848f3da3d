import type { QueueMessageInput } from "../contract";
import { CRM_TYPES, type CrmEvent } from "./crm-schema";
import { whatsAppEvent } from "./events";
import { inboundMessages } from "./inbound";

const OUTBOUND = new Set(["bot_response", "agent_message"]);

/** Queue messages for one verified, valid CRM event. */
export function normalizeCrmEvent(env: Cloudflare.Env, project: string, source: string | undefined, e: CrmEvent, receivedAt: number): QueueMessageInput[] {
  const timestamp = Date.parse(e.occurred_at);
  const properties = {
    provider: "crm",
    source,
    crm_event_id: e.id,
    crm_conversation_id: e.conversation_id,
    agent_id: e.agent_id,
    team: e.team,
    reason: e.reason,
    campaign: e.campaign,
    template: e.template,
  };
  if (e.type === "message_received") {
    // With the provider message id (wamid) it shares Meta's event id, so it counts once.
    const key = e.message_id ?? `crm:${project}:${e.id}`;
    return inboundMessages(env, {
      project, phone: e.phone, key, timestamp, receivedAt, text: null, contentLength: e.content_length, conversationId: e.conversation_id,
      properties: { ...properties, sender: "contact", provider_message_id: e.message_id, message_type: e.message_type ?? "text", has_media: e.has_media ?? false },
    });
  }
  const message = OUTBOUND.has(e.type)
    ? {
        direction: "outbound",
        sender: e.type === "bot_response" ? "bot" : "agent",
        provider_message_id: e.message_id,
        message_type: e.message_type ?? "text",
        content_length: e.content_length,
        has_media: e.has_media ?? false,
      }
    : {};
  const event = whatsAppEvent({
    id: e.message_id && OUTBOUND.has(e.type) ? "msg:" + e.message_id : `crm:${project}:${e.id}`,
    name: CRM_TYPES[e.type],
    project,
    timestamp,
    receivedAt,
    phone: e.phone,
    conversationId: e.conversation_id,
    properties: { ...properties, ...message, consent: e.consent },
  });
  const out: QueueMessageInput[] = [{ kind: "event", event }];
  if (e.type === "consent_changed") {
    out.push({ kind: "contact", project_id: project, external_id: e.phone, seen_at: timestamp, consent: e.consent, consent_at: timestamp });
  }
  return out;
}
