/**
 * E.164 (`+` and 7–15 digits) from what a bot may send: `+254 712 345 678`, `whatsapp:+…`,
 * `00…` or bare digits (WhatsApp's wa_id). Null when it is not a phone number.
 */
export function toE164(raw: string): string | null {
  let s = raw.trim().replace(/^whatsapp:/i, "").replace(/[\s().-]/g, "");
  if (s.startsWith("00")) s = "+" + s.slice(2);
  if (!s.startsWith("+")) s = "+" + s;
  return /^\+[1-9]\d{6,14}$/.test(s) ? s : null;
}

/** The conversation id WhatsApp events use when the provider gives none (shared convention). */
export const defaultConversationId = (projectId: string, e164: string) => `wa:${projectId}:${e164}`;
