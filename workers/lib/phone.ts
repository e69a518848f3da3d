import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";

/**
 * E.164 (`+` and 8–15 digits) from the machine formats providers use: Meta's wa_id digits,
 * Twilio's `whatsapp:+…`, `00…` international prefix. These are always international, so digits
 * become `+digits`. Null otherwise. Numbers people type go through `parsePhone` instead.
 */
export function toE164(raw: unknown): string | null {
  if (typeof raw !== "string" && typeof raw !== "number") return null;
  let s = String(raw)
    .trim()
    .replace(/^whatsapp:/i, "")
    .replace(/[\s().-]/g, "");
  if (s.startsWith("00")) s = "+" + s.slice(2);
  if (!s.startsWith("+")) s = "+" + s;
  return /^\+[1-9]\d{6,14}$/.test(s) ? s : null;
}

/** The conversation id WhatsApp events use when the provider or CRM gives none: one per contact. */
export const conversationIdFor = (projectId: string, id: string) => `wa:${projectId}:${id}`;

/** An ISO 3166-1 alpha-2 code libphonenumber knows the numbering plan of (e.g. `KE`, `BR`, `US`). */
export const isPhoneCountry = (code: string): code is CountryCode => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);

export type ParsedPhone = { ok: true; e164: string } | { ok: false; error: string };

/**
 * A phone number as a person typed it (CRM forms, bots, contact imports) in E.164, using the
 * project's default country for national numbers (`0712 345 678` with `KE` → `+254712345678`).
 *
 * - `+…` or `00…` is international: accepted when its length fits its country's plan.
 * - Otherwise it is read as a national number of `defaultCountry` and must be a valid number there;
 *   failing that (or with no default country) its digits are read as an international number
 *   without the `+` and must be a valid number of the country they start with.
 *
 * So `712345678` never becomes `+712345678`: without a default country it is refused.
 */
export function parsePhone(raw: string, defaultCountry?: string | null): ParsedPhone {
  const text = raw
    .trim()
    .replace(/^whatsapp:/i, "")
    .trim();
  const compact = text.replace(/[\s().\-/]/g, "");
  if (!/^(\+|00)?\d{3,17}$/.test(compact)) return { ok: false, error: `"${raw.slice(0, 40)}" is not a phone number` };
  const country = defaultCountry && isPhoneCountry(defaultCountry) ? defaultCountry : undefined;
  if (compact.startsWith("+") || compact.startsWith("00")) {
    const p = parsePhoneNumberFromString("+" + compact.replace(/^(\+|00)/, ""));
    if (p && (p.isValid() || p.isPossible())) return { ok: true, e164: p.number };
    return { ok: false, error: `"${raw.slice(0, 40)}" is not a possible international number` };
  }
  if (country) {
    const p = parsePhoneNumberFromString(compact, country);
    if (p?.isValid()) return { ok: true, e164: p.number };
  }
  const international = parsePhoneNumberFromString("+" + compact);
  if (international?.isValid()) return { ok: true, e164: international.number };
  return {
    ok: false,
    error: country
      ? `"${raw.slice(0, 40)}" is not a valid number in ${country}, nor an international number (start it with +country code)`
      : `"${raw.slice(0, 40)}" has no country code: write it as +<country code><number> or set the project's default_country`,
  };
}
