/**
 * E.164 (`+` and 8–15 digits) from the shapes providers use: Meta's wa_id digits, Twilio's
 * `whatsapp:+…`, a CRM's formatted `+1 (415) 555-0123` or `00…` international prefix. Null otherwise.
 */
export function toE164(raw: unknown): string | null {
  if (typeof raw !== "string" && typeof raw !== "number") return null;
  let s = String(raw).trim().replace(/^whatsapp:/i, "").replace(/[\s().-]/g, "");
  if (s.startsWith("00")) s = "+" + s.slice(2);
  if (!s.startsWith("+")) s = "+" + s;
  return /^\+[1-9]\d{6,14}$/.test(s) ? s : null;
}

/** Digits of an E.164 number: WhatsApp's `wa_id`. */
export const waId = (e164: string) => e164.slice(1);

/** The conversation id WhatsApp events use when the provider or CRM gives none: one per contact. */
export const conversationIdFor = (projectId: string, e164: string) => `wa:${projectId}:${e164}`;
