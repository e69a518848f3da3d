// Meta WhatsApp Cloud API, as the stand-in speaks it: `POST /{version}/{phone_number_id}/messages`
// with a Bearer token, Graph-style error envelopes, and `messages` webhooks carrying statuses.
import { createHash, randomBytes } from "node:crypto";
import { metaSignatureHeaders } from "./callbacks.mjs";
import { injectedFailure, recipientKey } from "./controls.mjs";

const HREF = "/documentation/business-messaging/whatsapp/support/error-codes";

// code → [HTTP status, title, details]. Meta answers most WhatsApp errors with HTTP 400, throughput
// included: senders are meant to branch on `code`, not on the HTTP status (Meta's own advice).
const CODES = {
  100: [400, "Invalid parameter", "The request included one or more unsupported or misspelled parameters."],
  190: [401, "Invalid OAuth access token - Cannot parse access token", undefined],
  130429: [400, "Rate limit hit", "Cloud API message throughput has been reached."],
  131000: [500, "Something went wrong", "Message failed to send due to an unknown error."],
  131005: [403, "Access denied", "Permission is either not granted or has been removed."],
  131016: [503, "Service unavailable", "A service is temporarily unavailable."],
  131026: [
    400,
    "Message undeliverable",
    "Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted WhatsApp's Terms of Service; the recipient is using an old WhatsApp version.",
  ],
  131047: [
    400,
    "Re-engagement message",
    "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  ],
  131048: [
    400,
    "Spam rate limit hit",
    "Message failed to send because there are restrictions on how many messages can be sent from this phone number.",
  ],
  131049: [
    400,
    "This message was not delivered to maintain healthy ecosystem engagement.",
    "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
  ],
  131056: [
    400,
    "(Business Account, Consumer Account) pair rate limit hit",
    "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.",
  ],
  132000: [
    400,
    "Number of parameters does not match the expected number of params",
    "The number of variable parameter values included in the request did not match the number of variable parameters defined in the template.",
  ],
  132001: [404, "Template does not exist", "The template does not exist in the specified language or the template has not been approved."],
};
const DEFAULT_CODE = { 400: 100, 401: 190, 403: 131005, 404: 132001, 429: 130429, 500: 131000, 502: 131000, 503: 131016, 504: 131000 };
// Only sub-codes seen in Meta's documented samples; v16+ otherwise omits error_subcode.
const SUBCODES = { 130429: 2494055 };

const describe = (code) => CODES[code] ?? [400, "Error", undefined];
const fbtrace = () => randomBytes(17).toString("base64url");

/** A Graph error response: `{error:{message:"(#code) title", type, code, error_data, error_subcode?, fbtrace_id}}`. */
export function metaError(code, { status, details } = {}) {
  const [httpStatus, title, defaultDetails] = describe(code);
  const error =
    code === 190 ? { message: title, type: "OAuthException", code } : { message: `(#${code}) ${title}`, type: "OAuthException", code };
  const d = details ?? defaultDetails;
  if (d) error.error_data = { messaging_product: "whatsapp", details: d };
  if (SUBCODES[code]) error.error_subcode = SUBCODES[code];
  error.fbtrace_id = fbtrace();
  const headers = {};
  if (code === 190) headers["www-authenticate"] = `OAuth "Facebook Platform" "invalid_token" "${title}"`;
  return { status: status ?? httpStatus, headers, json: { error } };
}

const invalid = (details) => metaError(100, { details });
const isBsuid = (to) => /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]+$/.test(to);
const isPhone = (to) => /^\+?[\d\s().-]{6,24}$/.test(to) && to.replace(/\D/g, "").length >= 6;

/** What Meta checks before accepting; returns an error response, or null when the body is sendable. */
function validate(body) {
  if (!body || typeof body !== "object" || Array.isArray(body)) return invalid("The request body must be a JSON object.");
  if (body.messaging_product === undefined) return invalid("The parameter messaging_product is required.");
  if (body.messaging_product !== "whatsapp") return invalid("Param messaging_product must be 'whatsapp'.");
  if (body.to === undefined || body.to === "") return invalid("The parameter to is required.");
  if (typeof body.to !== "string" || !(isPhone(body.to) || isBsuid(body.to)))
    return invalid("Param to must be a phone number or a business-scoped user ID.");
  const type = body.type ?? "text";
  if (type === "template") {
    const t = body.template;
    if (!t || typeof t !== "object") return invalid("The parameter template is required.");
    if (typeof t.name !== "string" || !t.name) return invalid("The parameter template['name'] is required.");
    if (!t.language || typeof t.language.code !== "string" || !t.language.code)
      return invalid("The parameter template['language']['code'] is required.");
    if (t.components !== undefined && !Array.isArray(t.components)) return invalid("Param template['components'] must be an array.");
  } else if (type === "text") {
    if (!body.text || typeof body.text.body !== "string" || !body.text.body) return invalid("The parameter text['body'] is required.");
  }
  const biz = body.biz_opaque_callback_data;
  if (biz !== undefined && (typeof biz !== "string" || biz.length > 512))
    return invalid("Param biz_opaque_callback_data must be a string of at most 512 characters.");
  return null;
}

/** A wamid-shaped id: base64 of a small binary blob holding the recipient, as real wamids are. */
function wamid(recipient) {
  const r = Buffer.from(String(recipient).slice(0, 20));
  return (
    "wamid." +
    Buffer.concat([
      Buffer.from([0x1c, 0x18, r.length]),
      r,
      Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]),
      Buffer.from(randomBytes(9).toString("hex").toUpperCase()),
      Buffer.from([0x00]),
    ]).toString("base64")
  );
}

const unixSeconds = () => String(Math.floor(Date.now() / 1000));

/** Meta keeps one conversation per (business number, user, category) for 24 h; so does the stand-in. */
function conversationFor(ctx, phoneNumberId, recipient, category) {
  const key = `${phoneNumberId}|${recipient}|${category}`;
  let conv = ctx.conversations.get(key);
  if (!conv || conv.expires * 1000 <= Date.now()) {
    conv = {
      id: createHash("md5")
        .update(key + randomBytes(8).toString("hex"))
        .digest("hex"),
      expires: Math.floor(Date.now() / 1000) + 86_400,
    };
    ctx.conversations.set(key, conv);
  }
  return conv;
}

/** Handles one send. `raw` is the request body text; returns `{status, headers, json}`. */
export function metaSend(ctx, { req, url, version, phoneNumberId, raw }) {
  const { opts, controls } = ctx;
  const auth = req.headers.authorization ?? "";
  const token = auth.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? url.searchParams.get("access_token");
  if (token !== opts.metaAccessToken) return metaError(190);

  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    return invalid("The request body could not be parsed as JSON.");
  }
  const refused = validate(body);
  if (refused) return refused;

  if (!ctx.throughput.admit("meta", controls.throughputPerSecond))
    return metaError(130429, {
      details: "Message failed to send because there were too many messages sent from this phone number in a short period of time.",
    });
  const fault = injectedFailure(controls, "meta", ctx.random);
  if (fault) {
    const code = fault.code ?? DEFAULT_CODE[fault.status ?? 500] ?? 131000;
    return metaError(code, { status: fault.status });
  }

  const bsuid = isBsuid(body.to);
  const recipient = recipientKey(body.to);
  const id = wamid(recipient);
  const type = body.type ?? "text";
  const template = type === "template" ? body.template.name : undefined;
  const category = template ? (controls.templateCategories.get(template) ?? opts.defaultTemplateCategory) : "service";
  const biz = body.biz_opaque_callback_data;
  const record = {
    provider: "meta",
    id,
    to: body.to,
    recipient,
    phone_number_id: phoneNumberId,
    api_version: version,
    type,
    template,
    category,
    biz_opaque_callback_data: biz,
    received_at: new Date().toISOString(),
    request: body,
    callbacks: [],
  };
  ctx.messages.push(record);

  const errorCode = controls.recipientErrors.get(recipient);
  const statuses = errorCode === undefined ? ["sent", "delivered", "read"] : ["failed"];
  const target = `${ctx.callbackBase}/webhooks/meta`;
  ctx.dispatcher.schedule(
    record,
    statuses.map(
      (s) => () =>
        webhook(ctx, target, phoneNumberId, statusObject(ctx, { id, s, recipient, bsuid, phoneNumberId, category, biz, errorCode })),
    ),
  );

  const contact = bsuid ? { input: body.to, user_id: body.to } : { input: body.to, wa_id: recipient };
  const message = template ? { id, message_status: "accepted" } : { id };
  return { status: 200, headers: {}, json: { messaging_product: "whatsapp", contacts: [contact], messages: [message] } };
}

/** One entry of `value.statuses[]`, built when it is due so its timestamp is the moment it is sent. */
function statusObject(ctx, { id, s, recipient, bsuid, phoneNumberId, category, biz, errorCode }) {
  const status = { id, status: s, timestamp: unixSeconds() };
  if (bsuid) status.recipient_user_id = recipient;
  else status.recipient_id = recipient;
  // Meta puts conversation + pricing on sent and delivered, not on read or failed.
  if (s === "sent" || s === "delivered") {
    const conv = conversationFor(ctx, phoneNumberId, recipient, category);
    status.conversation =
      s === "sent"
        ? { id: conv.id, expiration_timestamp: String(conv.expires), origin: { type: category } }
        : { id: conv.id, origin: { type: category } };
    status.pricing =
      category === "service"
        ? { billable: false, pricing_model: "PMP", type: "free_customer_service", category }
        : { billable: true, pricing_model: "PMP", type: "regular", category };
  }
  if (s === "failed") {
    const [, title, details] = describe(errorCode);
    status.errors = [{ code: errorCode, title, message: title, error_data: { details: details ?? title }, href: HREF }];
  }
  if (biz !== undefined) status.biz_opaque_callback_data = biz;
  return status;
}

function webhook(ctx, url, phoneNumberId, status) {
  const { opts } = ctx;
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: opts.wabaId,
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: opts.metaDisplayPhoneNumber, phone_number_id: phoneNumberId },
              statuses: [status],
            },
            field: "messages",
          },
        ],
      },
    ],
  });
  return {
    url,
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "facebookexternalua", ...metaSignatureHeaders(opts.metaAppSecret, body) },
    body,
  };
}
