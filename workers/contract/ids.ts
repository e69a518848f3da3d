import { z } from "zod";

/**
 * WhatsApp contact ids. A contact is known by its phone (E.164) and, since 2026, by its
 * business-scoped user id (BSUID): `<ISO country>.<digits or alphanumerics>`, e.g.
 * `US.13491208655302741918`, unique per business portfolio. Meta documents BSUIDs as up to
 * 128 characters after the prefix, so every stored field and query parameter carrying a
 * WhatsApp id admits WHATSAPP_ID_MAX characters.
 */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;
export const BSUID_PATTERN = /^[A-Z]{2}\.[A-Za-z0-9._-]{1,128}$/;
/** The longest WhatsApp contact id: a BSUID, `CC.` plus 128 characters. */
export const WHATSAPP_ID_MAX = 131;
/** Longest conversation id: `wa:<project ≤64>:<id ≤131>` or a provider's own (≤200), with room. */
export const CONVERSATION_ID_MAX = 256;

export const isE164 = (v: string) => E164_PATTERN.test(v);
export const isBsuid = (v: string) => BSUID_PATTERN.test(v);

export const e164Schema = z.string().regex(E164_PATTERN, "E.164 phone, e.g. +254712345678");
export const bsuidSchema = z.string().max(WHATSAPP_ID_MAX).regex(BSUID_PATTERN, "business-scoped user id, e.g. US.13491208655302741918");
/** A WhatsApp contact's id as stored in `external_id`: an E.164 phone or a BSUID. */
export const whatsAppIdSchema = z
  .string()
  .max(WHATSAPP_ID_MAX)
  .refine((v) => isE164(v) || isBsuid(v), "an E.164 phone (+254712345678) or a business-scoped user id (US.13491208655302741918)");
