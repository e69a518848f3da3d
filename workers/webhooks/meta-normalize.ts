import { z } from "zod";
import type { QueueMessageInput } from "../contract";
import { isBsuid, WHATSAPP_ID_MAX } from "../contract";
import { contentLength, toMillis, whatsAppEvent } from "./events";
import { inboundMessages } from "./inbound";
import { describeMessage, errorList } from "./meta-message";
import { toE164 } from "../lib/phone";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

/** The envelope, loosely: Meta adds fields over time and one odd item must not sink a batch. */
export const metaEnvelopeSchema = z.looseObject({
  object: z.string(),
  entry: z
    .array(
      z.looseObject({
        id: z.string().optional(),
        changes: z.array(z.looseObject({ field: z.string().optional(), value: z.unknown() })).default([]),
      }),
    )
    .default([]),
});
export type MetaEnvelope = z.infer<typeof metaEnvelopeSchema>;

const valueSchema = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().min(1), display_phone_number: z.string().optional() }),
  contacts: z.array(z.unknown()).default([]),
  messages: z.array(z.unknown()).default([]),
  statuses: z.array(z.unknown()).default([]),
  /** `smb_message_echoes`: what the business sent from the WhatsApp Business app (coexistence). */
  message_echoes: z.array(z.unknown()).default([]),
});
// Echo changes and message changes share the shape; a message change has no `message_echoes`.
interface MetaValue {
  metadata: z.infer<typeof valueSchema>["metadata"];
  contacts: unknown[];
  messages: unknown[];
  statuses: unknown[];
  message_echoes?: unknown[];
}
const waIdField = z.string().max(WHATSAPP_ID_MAX).optional();
// Id bounds keep `msg:<id>` / `status:<id>:<status>` within the contract's 200-char event id.
// Since 2026 a sender may be known by BSUID alone (`from_user_id`, no `from`), so both are optional.
const messageSchema = z.looseObject({
  id: z.string().min(1).max(190),
  from: waIdField,
  from_user_id: waIdField,
  timestamp: z.unknown().optional(),
});
const echoSchema = z.looseObject({
  id: z.string().min(1).max(190),
  to: waIdField,
  to_user_id: waIdField,
  timestamp: z.unknown().optional(),
});
const statusSchema = z.looseObject({
  id: z.string().min(1).max(150),
  status: z.string().min(1).max(40),
  recipient_id: waIdField,
  recipient_user_id: waIdField,
});
const FIELDS = new Set(["messages", "smb_message_echoes"]);

/** The `messages` and `smb_message_echoes` changes of an envelope, each with its phone_number_id (the project key). */
export function messageChanges(envelope: MetaEnvelope) {
  const out: { wabaId?: string; field: string; value: MetaValue }[] = [];
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      if (!change.field || !FIELDS.has(change.field)) continue;
      const value = valueSchema.safeParse(change.value);
      if (value.success) out.push({ wabaId: entry.id, field: change.field, value: value.data });
    }
  }
  return out;
}

function iso(v: unknown): string | undefined {
  const ms = v == null ? NaN : toMillis(v, NaN);
  // Past ±8.64e15 ms a Date is invalid and toISOString throws: such a time is no time at all.
  return Number.isNaN(ms) || Math.abs(ms) > 8.64e15 ? undefined : new Date(ms).toISOString();
}

const bsuidOf = (v: unknown) => (typeof v === "string" && isBsuid(v) ? v : undefined);

interface MetaContact {
  name?: string;
  username?: string;
  bsuid?: string;
  waId?: string;
}

/** `contacts[]` by each id it carries (wa_id and user_id), so a message finds its contact by either. */
function contactsOf(value: MetaValue): Map<string, MetaContact> {
  const out = new Map<string, MetaContact>();
  for (const c of value.contacts) {
    const o = obj(c);
    const profile = obj(o.profile);
    const contact: MetaContact = {
      name: typeof profile.name === "string" ? profile.name.slice(0, 256) : undefined,
      username: typeof profile.username === "string" ? profile.username.slice(0, 64) : undefined,
      bsuid: bsuidOf(o.user_id),
      waId: typeof o.wa_id === "string" ? o.wa_id : undefined,
    };
    if (contact.waId) out.set(contact.waId, contact);
    if (contact.bsuid) out.set(contact.bsuid, contact);
  }
  return out;
}

/**
 * A contact's ids: the phone when known, the BSUID when known. The contact id (`external_id`) is
 * the phone when there is one, so conversations that began before BSUIDs carry on; else the BSUID.
 */
function identify(phoneRaw: unknown, bsuidRaw: unknown, contacts: Map<string, MetaContact>, known: Map<string, string>) {
  const waId = typeof phoneRaw === "string" && phoneRaw ? phoneRaw : undefined;
  const contact = (waId && contacts.get(waId)) || (typeof bsuidRaw === "string" ? contacts.get(bsuidRaw) : undefined) || {};
  const phone = toE164(waId ?? contact.waId);
  const bsuid = bsuidOf(bsuidRaw) ?? contact.bsuid;
  // A BSUID-only contact already linked to a phone stays in its phone's conversation.
  const linked = !phone && bsuid ? known.get(bsuid) : undefined;
  return {
    phone,
    bsuid,
    contact,
    id: phone ?? linked ?? bsuid ?? null,
    props: { wa_id: waId ?? contact.waId, bsuid, username: contact.username, contact_name: contact.name },
  };
}

/** A link between two ids seen for one contact (phone + BSUID, or previous + new). */
const link = (project: string, a: string | null | undefined, b: string | null | undefined, at: number): QueueMessageInput[] =>
  a && b && a !== b ? [{ kind: "identity_link", project_id: project, a, b, at }] : [];

/** BSUIDs a change names without a phone beside them: those `linkedPhones` may resolve. */
export function bsuidsWithoutPhone(value: MetaValue): string[] {
  const out: string[] = [];
  const contacts = contactsOf(value);
  const add = (phone: unknown, bsuid: unknown) => {
    const id = bsuidOf(bsuid);
    if (id && !phone && !contacts.get(id)?.waId) out.push(id);
  };
  for (const m of value.messages) add(obj(m).from, obj(m).from_user_id);
  for (const s of value.statuses) add(obj(s).recipient_id, obj(s).recipient_user_id);
  for (const e of value.message_echoes ?? []) add(obj(e).to, obj(e).to_user_id);
  return out;
}

/**
 * Queue messages for one `messages` or `smb_message_echoes` change of a Meta webhook. `known`:
 * the phone already linked to a BSUID (`bsuidsWithoutPhone` → identity's `linkedPhones`).
 */
export function normalizeMetaChange(
  env: Cloudflare.Env,
  project: string,
  wabaId: string | undefined,
  value: MetaValue,
  receivedAt: number,
  known: Map<string, string> = new Map(),
) {
  const out: QueueMessageInput[] = [];
  const account = {
    provider: "meta",
    waba_id: wabaId,
    phone_number_id: value.metadata.phone_number_id,
    business_phone: toE164(value.metadata.display_phone_number) ?? undefined,
  };
  const contacts = contactsOf(value);
  // Oldest first, so a contact's first_contact (one id per contact) carries its earliest message.
  const messages = value.messages.flatMap((m) => {
    const parsed = messageSchema.safeParse(m);
    return parsed.success && (parsed.data.from || parsed.data.from_user_id) ? [parsed.data] : [];
  });
  messages.sort((a, b) => toMillis(a.timestamp, receivedAt) - toMillis(b.timestamp, receivedAt));
  for (const m of messages) {
    const described = describeMessage(m);
    const who = identify(m.from, m.from_user_id, contacts, known);
    const timestamp = toMillis(m.timestamp, receivedAt);
    const system = obj(m.system);
    const systemType = described.type === "system" ? system.type : undefined;
    if (systemType === "user_changed_user_id" || systemType === "user_changed_number") {
      out.push(...identityChange(project, account, m, who, system, systemType, timestamp, receivedAt));
      continue;
    }
    out.push(...link(project, who.phone, who.bsuid, timestamp));
    out.push(
      ...inboundMessages(env, {
        project,
        phone: who.id,
        key: m.id,
        timestamp,
        receivedAt,
        text: described.text,
        properties: { ...account, provider_message_id: m.id, ...who.props, ...described.properties },
      }),
    );
  }
  for (const raw of value.message_echoes ?? []) {
    const parsed = echoSchema.safeParse(raw);
    if (!parsed.success || !(parsed.data.to || parsed.data.to_user_id)) continue;
    out.push(...echo(project, account, parsed.data, contacts, known, receivedAt));
  }
  for (const raw of value.statuses) {
    const parsed = statusSchema.safeParse(raw);
    if (!parsed.success) continue;
    const s = parsed.data;
    const who = identify(s.recipient_id, s.recipient_user_id, contacts, known);
    const conversation = obj(s.conversation);
    const pricing = obj(s.pricing);
    const errors = errorList(s.errors);
    const timestamp = toMillis(s.timestamp, receivedAt);
    out.push(...link(project, who.phone, who.bsuid, timestamp));
    out.push({
      kind: "event",
      event: whatsAppEvent({
        id: `status:${s.id}:${s.status}`,
        name: "message_status",
        project,
        timestamp,
        receivedAt,
        phone: who.id,
        properties: {
          ...account,
          direction: "outbound",
          provider_message_id: s.id,
          status: s.status,
          ...who.props,
          contact_name: undefined,
          recipient_user_id: bsuidOf(s.recipient_user_id),
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

/**
 * `user_changed_user_id` (from_user_id is the previous BSUID, system.user_id the new one) and
 * `user_changed_number` (from is the previous phone, system.wa_id the new one): a
 * `contact_identity_changed` event under the new id, and a link of the previous id to the new.
 */
function identityChange(
  project: string,
  account: Record<string, unknown>,
  m: z.infer<typeof messageSchema>,
  who: ReturnType<typeof identify>,
  system: Obj,
  type: "user_changed_user_id" | "user_changed_number",
  timestamp: number,
  receivedAt: number,
): QueueMessageInput[] {
  const byBsuid = type === "user_changed_user_id";
  const previous = byBsuid ? bsuidOf(m.from_user_id) : (toE164(m.from) ?? undefined);
  const next = byBsuid ? bsuidOf(system.user_id) : (toE164(system.wa_id) ?? undefined);
  const current = next ?? previous ?? who.id;
  const props = byBsuid
    ? { previous_bsuid: previous, new_bsuid: next, bsuid: next ?? who.bsuid }
    : { previous_phone: previous, new_phone: next, bsuid: who.bsuid, wa_id: typeof system.wa_id === "string" ? system.wa_id : undefined };
  return [
    ...link(project, previous, next, timestamp),
    // The phone and BSUID the message also names (a number change keeps its BSUID).
    ...link(project, byBsuid ? who.phone : next, byBsuid ? next : who.bsuid, timestamp),
    {
      kind: "event",
      event: whatsAppEvent({
        id: "msg:" + m.id,
        name: "contact_identity_changed",
        project,
        timestamp,
        receivedAt,
        phone: current ?? null,
        properties: { ...account, direction: "inbound", provider_message_id: m.id, message_type: "system", system_type: type, ...props },
      }),
    },
  ];
}

/** A message the business sent from the WhatsApp Business app: an outbound human (agent) message. */
function echo(
  project: string,
  account: Record<string, unknown>,
  e: z.infer<typeof echoSchema>,
  contacts: Map<string, MetaContact>,
  known: Map<string, string>,
  receivedAt: number,
): QueueMessageInput[] {
  const described = describeMessage(e);
  const who = identify(e.to, e.to_user_id, contacts, known);
  const timestamp = toMillis(e.timestamp, receivedAt);
  return [
    ...link(project, who.phone, who.bsuid, timestamp),
    {
      kind: "event",
      event: whatsAppEvent({
        id: "msg:" + e.id,
        name: "message_sent",
        project,
        timestamp,
        receivedAt,
        phone: who.id,
        properties: {
          ...account,
          provider: "meta_app",
          direction: "outbound",
          sender: "agent",
          provider_message_id: e.id,
          ...who.props,
          ...described.properties,
          content_length: contentLength(described.text),
        },
      }),
    },
  ];
}
