/// <reference types="vite/client" />
import { env, SELF } from "cloudflare:test";
import { signSha256, twilioStringToSign } from "../../workers/webhooks/signatures";
import { BASE, waitFor } from "./helpers";

// Raw file text, byte-exact: the fixtures' signatures were computed over these bytes.
const files = import.meta.glob("../fixtures/whatsapp/**/*.json", { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;

/** A fixture file's exact text, by its path in INDEX.json (e.g. `meta/meta_text_inbound.json`). */
export function fixture(path: string): string {
  const text = files[`../fixtures/whatsapp/${path}`];
  if (text === undefined) throw new Error(`no fixture ${path}`);
  return text;
}

export interface IndexEntry {
  file: string;
  provider: string;
  kind: "webhook_post" | "verification_get";
  description: string;
  request?: { method: string; path?: string; url?: string; headers: Record<string, string> };
  expect: {
    accepted: boolean;
    http_status: number;
    events: Record<string, unknown>[];
    reason?: string;
    response_body?: string;
    response_content_type?: string;
    duplicate_of?: string;
  };
}
export const INDEX = JSON.parse(fixture("INDEX.json")) as IndexEntry[];

/** POSTs a body signed like Meta signs (sha256 HMAC of the exact bytes with the app secret). */
export async function postMeta(body: string, secret = env.META_APP_SECRET, headers: Record<string, string> = {}) {
  const signature = await signSha256(secret, new TextEncoder().encode(body));
  return SELF.fetch(`${BASE}/webhooks/meta`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signature, ...headers },
    body,
  });
}

/** Signs form params as Twilio does for `url` (base64 HMAC-SHA1 with the auth token). */
export async function twilioSignature(url: string, params: Record<string, string>, token = env.TWILIO_AUTH_TOKEN) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(token), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(twilioStringToSign(url, Object.entries(params))));
  return btoa(String.fromCharCode(...new Uint8Array(mac)));
}

export async function postTwilio(
  kind: "inbound" | "status",
  params: Record<string, string>,
  signedUrl?: string,
  host = "https://junction.example",
) {
  const url = `${host}/webhooks/twilio/${kind}`;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  headers["x-twilio-signature"] = await twilioSignature(signedUrl ?? url, params);
  return SELF.fetch(url, { method: "POST", headers, body: new URLSearchParams(params).toString() });
}

/** POSTs to /webhooks/crm signed with the CRM secret and a timestamp (now unless given). */
export async function postCrm(payload: unknown, opts: { secret?: string; timestamp?: number; unsigned?: boolean } = {}) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (!opts.unsigned) {
    headers["x-junction-timestamp"] = ts;
    headers["x-junction-signature"] = await signSha256(opts.secret ?? env.CRM_WEBHOOK_SECRET, new TextEncoder().encode(`${ts}.${body}`));
  }
  return SELF.fetch(`${BASE}/webhooks/crm`, { method: "POST", headers, body });
}

/** A Meta envelope around one `messages` change value. */
export function metaEnvelope(value: Record<string, unknown>, phoneNumberId = "112233445566778") {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "109876543210987",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550001234", phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  });
}

/** A Meta inbound text message from `waId`. */
export function metaText(waId: string, body: string, opts: { id?: string; timestamp?: number } = {}) {
  return {
    from: waId,
    id: opts.id ?? `wamid.test-${crypto.randomUUID()}`,
    timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
    type: "text",
    text: { body },
  };
}

/** A random valid E.164 number's digits (wa_id), unique per test. */
/** A valid San Francisco number (its exchange starts 2–9, as the numbering plan requires), without the `+`. */
export const randomWaId = () =>
  "1415" + String(2 + Math.floor(Math.random() * 8)) + String(Math.floor(Math.random() * 1e6)).padStart(6, "0");

export type Row = Record<string, unknown> & { properties: Record<string, unknown> };

/** The stored event with this id, properties parsed, or null. */
export async function storedEvent(id: string): Promise<Row | null> {
  const row = await env.DB.prepare("SELECT * FROM events WHERE event_id = ?").bind(id).first<Record<string, unknown>>();
  return row ? ({ ...row, properties: JSON.parse(row.properties as string) } as Row) : null;
}

/** Waits for the delivery audit row with this id (the X-Junction-Delivery response header). */
export async function deliveryRow(id: string) {
  return waitFor(() =>
    env.DB.prepare("SELECT * FROM webhook_deliveries WHERE id = ? OR id LIKE ?")
      .bind(id, id + ":%")
      .first<Record<string, unknown>>(),
  );
}
