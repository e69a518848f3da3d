import { contactImportRowSchema, IMPORT_MAX_ATTRIBUTES, isBsuid } from "../contract";
import { parsePhone } from "../lib/phone";

/** One valid import row, ready to store: keyed by its phone, else its BSUID. */
export type ContactRecord = {
  key: string;
  phone: string | null;
  bsuid: string | null;
  name: string | null;
  timezone: string | null;
  attributes: Record<string, string | number | boolean | null>;
  consent: "opted_in" | "opted_out" | null;
  consentSource: string | null;
  consentAt: number | null;
};

/** A row as a record, or the reason it is rejected (the first problem found). */
export function normalizeRow(
  raw: Record<string, unknown>,
  defaultCountry: string | null,
): { ok: true; record: ContactRecord } | { ok: false; reason: string } {
  const parsed = contactImportRowSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.join(".") || "row"}: ${issue.message}` };
  }
  const r = parsed.data;
  if (r.phone === undefined && r.bsuid === undefined) return { ok: false, reason: "missing id: a row needs a phone or a bsuid" };
  let phone: string | null = null;
  if (r.phone !== undefined) {
    const p = parsePhone(String(r.phone), defaultCountry);
    if (!p.ok) return { ok: false, reason: `phone: ${p.error}` };
    phone = p.e164;
  }
  if (r.bsuid !== undefined && !isBsuid(r.bsuid))
    return { ok: false, reason: `bsuid: "${r.bsuid.slice(0, 40)}" is not a business-scoped user id (e.g. US.13491208655302741918)` };
  const attributes = r.attributes ?? {};
  if (Object.keys(attributes).length > IMPORT_MAX_ATTRIBUTES)
    return { ok: false, reason: `attributes: more than ${IMPORT_MAX_ATTRIBUTES}` };
  return {
    ok: true,
    record: {
      key: phone ?? r.bsuid!,
      phone,
      bsuid: r.bsuid ?? null,
      name: r.name?.trim() || null,
      timezone: r.timezone ?? null,
      attributes,
      consent: r.consent?.state ?? null,
      consentSource: r.consent?.source ?? null,
      consentAt: r.consent?.at ? Date.parse(r.consent.at) : null,
    },
  };
}

/** Folds a later row of the same contact into an earlier one: later values win, attributes merge. */
export function fold(a: ContactRecord, b: ContactRecord): ContactRecord {
  const consent = b.consent && (a.consent === null || (b.consentAt ?? 0) >= (a.consentAt ?? 0)) ? b : a;
  return {
    key: a.key,
    phone: a.phone ?? b.phone,
    bsuid: b.bsuid ?? a.bsuid,
    name: b.name ?? a.name,
    timezone: b.timezone ?? a.timezone,
    attributes: { ...a.attributes, ...b.attributes },
    consent: consent.consent,
    consentSource: consent.consentSource,
    consentAt: consent.consentAt,
  };
}

/** A stable digest of what a record would store: an identical re-import is recognised by it. */
export async function recordHash(r: ContactRecord): Promise<string> {
  const attrs = Object.keys(r.attributes)
    .sort()
    .map((k) => [k, r.attributes[k]]);
  const text = JSON.stringify([r.key, r.phone, r.bsuid, r.name, r.timezone, attrs, r.consent, r.consentSource, r.consentAt]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}
