import type { QueueMessageInput } from "../contract";
import { whatsAppEvent } from "./events";
import { inboundMessages } from "./inbound";
import { toE164 } from "../lib/phone";

type Params = Map<string, string>;

// Twilio's pre-send states say nothing WhatsApp did yet, so they produce no event. Every other
// status is stored as Twilio's own value: `undelivered` (WhatsApp could not deliver) and `failed`
// (Twilio could not send) stay distinct, and both count as failed (FAILED_STATUSES).
const PRE_SEND = new Set(["accepted", "scheduled", "queued", "sending"]);

/** Twilio's `MessageType` when it sends one, else derived from the media/location/button fields. */
function messageType(p: Params): string {
  const given = p.get("MessageType");
  if (given) return given.slice(0, 64);
  if (Number(p.get("NumMedia") ?? 0) > 0) return (p.get("MediaContentType0") ?? "media").split("/")[0].slice(0, 64);
  if (p.get("Latitude")) return "location";
  if (p.get("ButtonPayload") || p.get("ButtonText")) return "button";
  return "text";
}

/** Queue messages for an inbound WhatsApp message callback. */
export function normalizeTwilioInbound(env: Cloudflare.Env, project: string, p: Params, receivedAt: number): QueueMessageInput[] {
  const sid = p.get("MessageSid") ?? p.get("SmsMessageSid");
  if (!sid || sid.length > 190) return [];
  const phone = toE164(p.get("From"));
  const numMedia = Number(p.get("NumMedia") ?? 0) || 0;
  const type = messageType(p);
  return inboundMessages(env, {
    project,
    phone,
    key: sid,
    // Twilio callbacks carry no message time: the receive time is the best there is.
    timestamp: receivedAt,
    receivedAt,
    text: p.get("Body") ?? p.get("ButtonText") ?? null,
    properties: {
      provider: "twilio",
      provider_message_id: sid,
      account_sid: p.get("AccountSid"),
      business_phone: toE164(p.get("To")) ?? undefined,
      wa_id: p.get("WaId") ?? phone?.slice(1),
      contact_name: p.get("ProfileName")?.slice(0, 256),
      message_type: type,
      has_media: numMedia > 0,
      media_count: numMedia || undefined,
      mime_type: p.get("MediaContentType0")?.slice(0, 128),
      has_location: p.get("Latitude") ? true : undefined,
      button_payload: p.get("ButtonPayload")?.slice(0, 256),
      reply_to_message_id: p.get("OriginalRepliedMessageSid")?.slice(0, 64),
      referral: p.get("ReferralCtwaClid")
        ? { source_type: p.get("ReferralSourceType"), source_id: p.get("ReferralSourceId"), ctwa_clid: p.get("ReferralCtwaClid") }
        : undefined,
    },
  });
}

/** Queue messages for a status callback (none for pre-send states). */
export function normalizeTwilioStatus(project: string, p: Params, receivedAt: number): QueueMessageInput[] {
  const sid = p.get("MessageSid") ?? p.get("SmsSid");
  const raw = (p.get("MessageStatus") ?? p.get("SmsStatus") ?? "").toLowerCase();
  if (!sid || sid.length > 150 || !raw || raw.length > 40) return [];
  if (PRE_SEND.has(raw)) return [];
  const status = raw;
  const phone = toE164(p.get("To"));
  const errorCode = p.get("ErrorCode");
  const event = whatsAppEvent({
    id: `status:${sid}:${status}`,
    name: "message_status",
    project,
    timestamp: receivedAt,
    receivedAt,
    phone,
    properties: {
      provider: "twilio",
      direction: "outbound",
      provider_message_id: sid,
      account_sid: p.get("AccountSid"),
      business_phone: toE164(p.get("From")) ?? undefined,
      wa_id: phone?.slice(1),
      status,
      // The same value as `status` (kept for readers of the earlier field name).
      raw_status: raw,
      error_code: errorCode ? Number(errorCode) || errorCode : undefined,
    },
  });
  return [{ kind: "event", event }];
}
