// Twilio Programmable Messaging (WhatsApp), as the stand-in speaks it:
// `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, HTTP Basic auth, and
// form-encoded status callbacks signed with X-Twilio-Signature.
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { twilioSignature } from "./callbacks.mjs";
import { injectedFailure, recipientKey } from "./controls.mjs";

// code → [HTTP status, message] for the codes the stand-in answers with itself.
const CODES = {
  20003: [401, "Authenticate"],
  20403: [403, "Permission Denied"],
  20404: [404, "The requested resource was not found"],
  20429: [429, "Too Many Requests"],
  20500: [500, "An internal server error has occurred"],
  20503: [503, "Service is unavailable. Please try again"],
  21211: [400, "Invalid 'To' Phone Number"],
  21212: [400, "Invalid 'From' Number"],
  21603: [400, "A 'From' phone number is required."],
  21604: [400, "A 'To' phone number is required."],
  21609: [400, "Invalid 'StatusCallback'"],
  21619: [400, "A text message body or media urls must be specified."],
  21655: [400, "The ContentSid is Invalid."],
  21656: [400, "The ContentVariables Parameter is invalid."],
};
const DEFAULT_CODE = { 400: 21211, 401: 20003, 403: 20403, 404: 20404, 429: 20429, 500: 20500, 502: 20500, 503: 20503, 504: 20500 };

/** Twilio's REST error body: `{code, message, more_info, status}`. */
export function twilioError(code, { status, message } = {}) {
  const [httpStatus, defaultMessage] = CODES[code] ?? [status ?? 400, "Error"];
  const s = status ?? httpStatus;
  const headers = code === 20003 ? { "www-authenticate": 'Basic realm="Twilio API"' } : {};
  return {
    status: s,
    headers,
    json: { code, message: message ?? defaultMessage, more_info: `https://www.twilio.com/docs/errors/${code}`, status: s },
  };
}

const hex32 = () => randomBytes(16).toString("hex");
const isWhatsApp = (v) => /^whatsapp:\+\d{6,15}$/.test(v);
// Twilio's dates are RFC 2822 with a numeric zone: "Tue, 27 Nov 2018 16:14:39 +0000".
const rfc2822 = (d = new Date()) => d.toUTCString().replace("GMT", "+0000");

function sameSecret(given, expected) {
  const a = Buffer.from(String(given));
  const b = Buffer.from(String(expected));
  return a.length === b.length && timingSafeEqual(a, b);
}

function authorized(req, opts, pathSid) {
  const m = (req.headers.authorization ?? "").match(/^Basic\s+(.+)$/i);
  if (!m) return false;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const i = decoded.indexOf(":");
  if (i < 0) return false;
  const user = decoded.slice(0, i);
  return user === opts.twilioAccountSid && pathSid === opts.twilioAccountSid && sameSecret(decoded.slice(i + 1), opts.twilioAuthToken);
}

/** What Twilio checks before queueing; returns an error response or null. */
function validate(p) {
  const to = p.get("To");
  if (!to) return twilioError(21604);
  if (!isWhatsApp(to)) return twilioError(21211, { message: `Invalid 'To' Phone Number: ${to}` });
  const from = p.get("From");
  if (!from && !p.get("MessagingServiceSid")) return twilioError(21603);
  if (from && !isWhatsApp(from)) return twilioError(21212, { message: `Invalid 'From' Number: ${from}` });
  const contentSid = p.get("ContentSid");
  if (!p.get("Body") && !p.getAll("MediaUrl").length && !contentSid) return twilioError(21619);
  if (contentSid && !/^HX[0-9a-fA-F]{32}$/.test(contentSid)) return twilioError(21655);
  const vars = p.get("ContentVariables");
  if (vars !== null) {
    try {
      const v = JSON.parse(vars);
      if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error();
    } catch {
      return twilioError(21656);
    }
  }
  const cb = p.get("StatusCallback");
  if (cb !== null && !/^https?:\/\/[^/_\s]+(?:\/\S*)?$/.test(cb)) return twilioError(21609);
  return null;
}

/** Handles one send; returns `{status, headers, json}`. */
export function twilioSend(ctx, { req, accountSid, raw }) {
  const { opts, controls } = ctx;
  if (!authorized(req, opts, accountSid)) return twilioError(20003);
  // Twilio reads the body as a form whatever the content type says; JSON simply has no To.
  const p = new URLSearchParams(raw);
  const refused = validate(p);
  if (refused) return refused;

  if (!ctx.throughput.admit("twilio", controls.throughputPerSecond)) return twilioError(20429);
  const fault = injectedFailure(controls, "twilio", ctx.random);
  if (fault) return twilioError(fault.code ?? DEFAULT_CODE[fault.status ?? 500] ?? 20500, { status: fault.status });

  const sid = "SM" + hex32();
  const to = p.get("To");
  const recipient = recipientKey(to);
  const service = p.get("MessagingServiceSid");
  // A Messaging Service picks the sender itself; the callbacks then carry that sender as From.
  const sender = p.get("From") ?? opts.twilioFrom;
  const statusCallback = p.get("StatusCallback");
  let contentVariables;
  if (p.get("ContentVariables") !== null) contentVariables = JSON.parse(p.get("ContentVariables"));
  const record = {
    provider: "twilio",
    id: sid,
    to,
    recipient,
    from: p.get("From"),
    messaging_service_sid: service,
    account_sid: accountSid,
    content_sid: p.get("ContentSid"),
    content_variables: contentVariables,
    status_callback: statusCallback,
    received_at: new Date().toISOString(),
    request: Object.fromEntries(p),
    callbacks: [],
  };
  ctx.messages.push(record);

  // The signature covers the URL Twilio calls: the message's StatusCallback, else the configured
  // public one. With a local callback base the request goes there (same path and query) instead,
  // which Junction accepts because PUBLIC_BASE_URL + path is one of the URLs it verifies against.
  const signUrl = statusCallback ?? `${ctx.publicBase}/webhooks/twilio/status`;
  let deliverUrl = signUrl;
  if (ctx.callbackUrl) {
    const u = new URL(signUrl);
    deliverUrl = ctx.callbackUrl + u.pathname + u.search;
  }
  const errorCode = controls.recipientErrors.get(recipient);
  const statuses = errorCode === undefined ? ["sent", "delivered", "read"] : ["failed"];
  ctx.dispatcher.schedule(
    record,
    statuses.map((s) => () => callback(ctx, { signUrl, deliverUrl, sid, s, to, sender, service, accountSid, errorCode })),
  );

  const now = rfc2822();
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
  return {
    status: 201,
    headers: {},
    json: {
      account_sid: accountSid,
      api_version: "2010-04-01",
      body: p.get("Body") ?? "",
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: p.get("From"),
      messaging_service_sid: service,
      num_media: String(p.getAll("MediaUrl").length),
      num_segments: service ? "0" : "1",
      price: null,
      price_unit: null,
      sid,
      // Twilio answers "accepted" when a Messaging Service still has to choose the sender.
      status: service && !p.get("From") ? "accepted" : "queued",
      subresource_uris: { media: uri.replace(/\.json$/, "/Media.json") },
      to,
      uri,
    },
  };
}

function callback(ctx, { signUrl, deliverUrl, sid, s, to, sender, service, accountSid, errorCode }) {
  const digits = to.replace(/\D/g, "");
  const params = [];
  // Twilio adds EventType to the receipts WhatsApp itself confirms.
  if (s === "delivered" || s === "read") params.push(["EventType", s.toUpperCase()]);
  params.push(["SmsSid", sid], ["SmsStatus", s], ["MessageStatus", s]);
  params.push(["ChannelToAddress", "+" + digits.slice(0, -4) + "XXXX"], ["To", to], ["ChannelPrefix", "whatsapp"]);
  params.push(["MessageSid", sid], ["AccountSid", accountSid], ["From", sender]);
  if (service) params.push(["MessagingServiceSid", service]);
  params.push(["ApiVersion", "2010-04-01"], ["ChannelInstallSid", ctx.channelInstallSid]);
  if (s === "failed") params.push(["ErrorCode", String(errorCode)]);
  const body = new URLSearchParams(params).toString();
  return {
    url: deliverUrl,
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": "TwilioProxy/1.1",
      "i-twilio-idempotency-token": randomUUID(),
      "x-home-region": "us1",
      "x-twilio-signature": twilioSignature(ctx.opts.twilioAuthToken, signUrl, params),
    },
    body,
  };
}

export const newChannelInstallSid = () => "XE" + hex32();
