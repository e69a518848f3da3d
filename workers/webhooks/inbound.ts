import type { QueueMessageInput } from "../contract";
import { consentFromText } from "./consent";
import { contentLength, whatsAppEvent } from "./events";

export interface InboundMessage {
  project: string;
  /** The contact's WhatsApp id: its E.164 phone, else its BSUID; null when neither is known (then only message_received is recorded). */
  phone: string | null;
  /** Provider message id shared by every source of the same message (the wamid when known). */
  key: string;
  timestamp: number;
  receivedAt: number;
  /** The message text: read here for its length and keywords, then discarded. */
  text: string | null;
  /** When the sender reports a length instead of the text (CRM webhook). */
  contentLength?: number;
  conversationId?: string | null;
  properties: Record<string, unknown>;
}

/**
 * Everything one inbound message yields: message_received; first_contact with an id per contact,
 * so D1's INSERT OR IGNORE keeps exactly one (the first stored); consent_changed when the message
 * is an opt-out/opt-in keyword; and the contact upsert (first/last seen, consent).
 */
export function inboundMessages(env: Cloudflare.Env, m: InboundMessage): QueueMessageInput[] {
  const base = { project: m.project, timestamp: m.timestamp, receivedAt: m.receivedAt, phone: m.phone, conversationId: m.conversationId };
  const props: Record<string, unknown> = {
    ...m.properties,
    direction: "inbound",
    content_length: m.contentLength ?? contentLength(m.text),
  };
  const consent = consentFromText(env, m.text);
  const link = { provider: props.provider, provider_message_id: props.provider_message_id };
  const received = whatsAppEvent({ ...base, id: "msg:" + m.key, name: "message_received", properties: props });
  if (!m.phone) return [{ kind: "event", event: received }];
  const events = [
    received,
    whatsAppEvent({
      ...base,
      id: `first_contact:${m.project}:${m.phone}`,
      name: "first_contact",
      properties: { ...link, direction: "inbound", message_type: props.message_type },
    }),
  ];
  if (consent) {
    events.push(
      whatsAppEvent({ ...base, id: "consent:" + m.key, name: "consent_changed", properties: { ...link, consent, source: "keyword" } }),
    );
  }
  return [
    ...events.map((event) => ({ kind: "event" as const, event })),
    {
      kind: "contact",
      project_id: m.project,
      external_id: m.phone,
      seen_at: m.timestamp,
      consent,
      consent_at: consent ? m.timestamp : null,
    },
  ];
}
