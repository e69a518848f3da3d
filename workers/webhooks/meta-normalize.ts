import { z } from "zod";
import type { QueueMessageInput } from "../contract";
import { toMillis, whatsAppEvent } from "./events";
import { inboundMessages } from "./inbound";
import { describeMessage, errorList } from "./meta-message";
import { toE164 } from "../lib/phone";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

/** The envelope, loosely: Meta adds fields over time and one odd item must not sink a batch. */
export const metaEnvelopeSchema = z.looseObject({
  object: z.string(),
  entry: z
    .array(z.looseObject({ id: z.string().optional(), changes: z.array(z.looseObject({ field: z.string().optional(), value: z.unknown() })).default([]) }))
    .default([]),
});
export type MetaEnvelope = z.infer<typeof metaEnvelopeSchema>;

const valueSchema = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().min(1), display_phone_number: z.string().optional() }),
  contacts: z.array(z.unknown()).default([]),
  messages: z.array(z.unknown()).default([]),
  statuses: z.array(z.unknown()).default([]),
});
// Id bounds keep `msg:<id>` / `status:<id>:<status>` within the contract's 200-char event id.
const messageSchema = z.looseObject({ id: z.string().min(1).max(190), from: z.string().max(64), timestamp: z.unknown().optional() });
const statusSchema = z.looseObject({ id: z.string().min(1).max(150), status: z.string().min(1).max(40), recipient_id: z.string().max(64).optional() });

/** The `messages` changes of an envelope, each with its phone_number_id (the project key). */
export function messageChanges(envelope: MetaEnvelope) {
  const out: { wabaId?: string; value: z.infer<typeof valueSchema> }[] = [];
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      if (change.field !== "messages") continue;
      const value = valueSchema.safeParse(change.value);
      if (value.success) out.push({ wabaId: entry.id, value: value.data });
    }
  }
  return out;
}

function iso(v: unknown): string | undefined {
  const ms = v == null ? NaN : toMillis(v, NaN);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Queue messages for one `messages` change of a Meta webhook. */
export function normalizeMetaChange(env: Cloudflare.Env, project: string, wabaId: string | undefined, value: z.infer<typeof valueSchema>, receivedAt: number) {
  const out: QueueMessageInput[] = [];
  const account = {
    provider: "meta",
    waba_id: wabaId,
    phone_number_id: value.metadata.phone_number_id,
    business_phone: toE164(value.metadata.display_phone_number) ?? undefined,
  };
  const names = new Map<string, string>();
  for (const c of value.contacts) {
    const o = obj(c);
    if (typeof o.wa_id === "string" && typeof obj(o.profile).name === "string") names.set(o.wa_id, obj(o.profile).name as string);
  }
  // Oldest first, so a contact's first_contact (one id per contact) carries its earliest message.
  const messages = value.messages.flatMap((m) => (messageSchema.safeParse(m).success ? [m as z.infer<typeof messageSchema>] : []));
  messages.sort((a, b) => toMillis(a.timestamp, receivedAt) - toMillis(b.timestamp, receivedAt));
  for (const m of messages) {
    const described = describeMessage(m);
    const phone = toE164(m.from);
    out.push(
      ...inboundMessages(env, {
        project,
        phone,
        key: m.id,
        timestamp: toMillis(m.timestamp, receivedAt),
        receivedAt,
        text: described.text,
        properties: { ...account, provider_message_id: m.id, wa_id: m.from, contact_name: names.get(m.from)?.slice(0, 256), ...described.properties },
      }),
    );
  }
  for (const raw of value.statuses) {
    const parsed = statusSchema.safeParse(raw);
    if (!parsed.success) continue;
    const s = parsed.data;
    const conversation = obj(s.conversation);
    const pricing = obj(s.pricing);
    const errors = errorList(s.errors);
    out.push({
      kind: "event",
      event: whatsAppEvent({
        id: `status:${s.id}:${s.status}`,
        name: "message_status",
        project,
        timestamp: toMillis(s.timestamp, receivedAt),
        receivedAt,
        phone: toE164(s.recipient_id),
        properties: {
          ...account,
          direction: "outbound",
          provider_message_id: s.id,
          status: s.status,
          wa_id: s.recipient_id,
          meta_conversation_id: typeof conversation.id === "string" ? conversation.id.slice(0, 128) : undefined,
          conversation_origin: typeof obj(conversation.origin).type === "string" ? obj(conversation.origin).type : undefined,
          conversation_expires_at: iso(conversation.expiration_timestamp),
          pricing: Object.keys(pricing).length
            ? { billable: pricing.billable, pricing_model: pricing.pricing_model, type: pricing.type, category: pricing.category }
            : undefined,
          errors,
          error_code: errors?.[0]?.code,
          // Set by the sender when it sent the message: Junction's campaign/template tag.
          campaign: typeof s.biz_opaque_callback_data === "string" ? s.biz_opaque_callback_data.slice(0, 512) : undefined,
        },
      }),
    });
  }
  return out;
}
