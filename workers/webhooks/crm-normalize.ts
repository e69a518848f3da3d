import { clampProviderTime, type QueueMessageInput } from "../contract";
import { CRM_TYPES, type CrmEvent } from "./crm-schema";
import { conversationIdFor } from "../lib/phone";
import { whatsAppEvent } from "./events";
import { inboundMessages } from "./inbound";

const OUTBOUND = new Set(["bot_response", "agent_message"]);

/** The status change of a valid `agent_status` event (times outside the edge's window become the receive time). */
export function agentStatusMessages(project: string, e: CrmEvent, receivedAt: number): QueueMessageInput[] {
  const at = clampProviderTime(Date.parse(e.occurred_at), receivedAt).time;
  return [{ kind: "agent_status", project_id: project, agent_id: e.agent_id!, status: e.status!, at }];
}

/** Queue messages for one verified, valid CRM event (its `phone` already the contact id). */
export function normalizeCrmEvent(
  env: Cloudflare.Env,
  project: string,
  source: string | undefined,
  e: CrmEvent,
  receivedAt: number,
): QueueMessageInput[] {
  // The contact id (crm.ts has turned `phone` into one; every type but agent_status has it).
  const phone = e.phone ?? "";
  const timestamp = Date.parse(e.occurred_at);
  if (e.type === "csat") {
    // The comment's text goes no further than this line: only its length is kept.
    const comment_length = e.comment === undefined ? null : [...e.comment].length;
    return [
      {
        kind: "csat",
        project_id: project,
        response_id: `crm:${e.id}`,
        external_id: phone,
        score: e.score!,
        comment_length,
        source: "crm",
        conversation_id: e.conversation_id ?? conversationIdFor(project, phone),
        submitted_at: clampProviderTime(timestamp, receivedAt).time,
      },
    ];
  }
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
      project,
      phone,
      key,
      timestamp,
      receivedAt,
      text: null,
      contentLength: e.content_length,
      conversationId: e.conversation_id,
      properties: {
        ...properties,
        sender: "contact",
        provider_message_id: e.message_id,
        message_type: e.message_type ?? "text",
        has_media: e.has_media ?? false,
      },
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
    phone,
    conversationId: e.conversation_id,
    properties: { ...properties, ...message, consent: e.consent },
  });
  const out: QueueMessageInput[] = [{ kind: "event", event }];
  if (e.type === "consent_changed") {
    out.push({ kind: "contact", project_id: project, external_id: phone, seen_at: timestamp, consent: e.consent, consent_at: timestamp });
  }
  return out;
}
