// What Junction keeps of a Meta message: its type, size and media flags, ids useful for funnels
// (button/list reply ids, ad referrals) — never its text, captions, coordinates or shared contacts.
// Unknown future types pass through as their own `message_type`.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown, max = 256) => (typeof v === "string" ? v.slice(0, max) : undefined);

const MEDIA = new Set(["image", "video", "sticker", "document", "audio"]);

export interface DescribedMessage {
  type: string;
  /** Text content, only for its length and keyword match. */
  text: string | null;
  properties: Obj;
}

/** Provider error list in a bounded, text-free form. */
export function errorList(v: unknown): Obj[] | undefined {
  if (!Array.isArray(v) || !v.length) return undefined;
  return v.slice(0, 5).map((e) => {
    const o = obj(e);
    return { code: o.code, title: str(o.title), details: str(obj(o.error_data).details) };
  });
}

/** Type, text and text-free properties of one Meta `messages[]` item. */
export function describeMessage(m: Obj): DescribedMessage {
  const type = str(m.type, 64) || "unknown";
  const body = obj(m[type]);
  const props: Obj = { message_type: type, has_media: MEDIA.has(type) };
  let text: string | null = null;

  if (type === "text") text = str(body.body, 100_000) ?? null;
  else if (MEDIA.has(type)) {
    text = str(body.caption, 100_000) ?? null;
    Object.assign(props, { media_id: str(body.id), mime_type: str(body.mime_type, 128) });
    if (body.voice === true) props.voice = true;
    if (body.animated === true) props.animated = true;
  } else if (type === "interactive") {
    const kind = str(body.type, 64);
    const reply = obj(kind ? body[kind] : undefined);
    text = str(reply.title, 1000) ?? null;
    Object.assign(props, { interactive_type: kind, interactive_id: str(reply.id) });
  } else if (type === "button") {
    text = str(body.text, 1000) ?? null;
    props.button_payload = str(body.payload);
  } else if (type === "reaction") {
    Object.assign(props, { reacted_message_id: str(body.message_id), reaction_removed: !body.emoji });
  } else if (type === "location") props.has_location = true;
  else if (type === "contacts") props.shared_contacts = Array.isArray(m.contacts) ? m.contacts.length : 0;
  else if (type === "order") props.order_items = Array.isArray(body.product_items) ? body.product_items.length : 0;
  else if (type === "system") props.system_type = str(body.type, 64);

  const context = obj(m.context);
  if (context.id) props.reply_to_message_id = str(context.id);
  if (context.forwarded === true) props.forwarded = true;
  if (context.frequently_forwarded === true) props.frequently_forwarded = true;

  // Click-to-WhatsApp ads: the ad and click ids are the attribution of the conversation.
  const referral = obj(m.referral);
  if (Object.keys(referral).length) {
    props.referral = {
      source_type: str(referral.source_type, 64),
      source_id: str(referral.source_id),
      source_url: str(referral.source_url, 1024),
      ctwa_clid: str(referral.ctwa_clid, 512),
    };
  }
  props.errors = errorList(m.errors);
  return { type, text, properties: props };
}
