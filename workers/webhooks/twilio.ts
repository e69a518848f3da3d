import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../lib/env";
import { twimlSchema } from "../contract";
import { ApiError } from "../lib/http";
import { doc } from "../lib/openapi";
import { projectForAccount } from "./accounts";
import { readRawBody } from "./body";
import { Delivery } from "./delivery";
import { toE164 } from "../lib/phone";
import { requireSecret } from "./secrets";
import { verifyTwilio } from "./signatures";
import { normalizeTwilioInbound, normalizeTwilioStatus } from "./twilio-normalize";

/** Twilio WhatsApp webhooks: inbound messages and status callbacks (form-encoded, HMAC-SHA1 signed). */
export const twilio = new Hono<AppEnv>();

// An empty TwiML document: acknowledges without making Twilio send a reply.
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * URLs the signature may cover: the one this request arrived on, and the configured public one
 * (PUBLIC_BASE_URL) when a proxy or route rewrites the host. Both need the auth token to forge.
 */
function candidateUrls(req: Request, base: string | undefined): string[] {
  const url = new URL(req.url);
  const urls = [url.href];
  if (base) urls.push(base.replace(/\/+$/, "") + url.pathname + url.search);
  return [...new Set(urls)];
}

for (const kind of ["inbound", "status"] as const) {
  const described = doc({
    summary: kind === "inbound" ? "Twilio inbound WhatsApp messages" : "Twilio message status callbacks",
    description: "Form-encoded; verified with X-Twilio-Signature over the URL and the sorted form params before anything else.",
    tags: ["webhooks"],
    auth: {
      signature: [{ header: "X-Twilio-Signature", description: "base64(HMAC-SHA1(TWILIO_AUTH_TOKEN, url + sorted key+value pairs))" }],
    },
    bodyType: "application/x-www-form-urlencoded",
    body: z.record(z.string(), z.string()),
    responses: { 200: { description: "an empty TwiML document (no reply is sent)", schema: twimlSchema, type: "text/xml" } },
    errors: ["missing_twilio_signature", "bad_twilio_signature", "payload_too_large", "not_configured", "queue_unavailable"],
  });
  twilio.post(`/${kind}`, described, async (c) => {
    const receivedAt = Date.now();
    const token = requireSecret(c.env, "TWILIO_AUTH_TOKEN");
    const bytes = await readRawBody(c.req.raw);
    const signature = c.req.header("x-twilio-signature");
    if (!signature) throw new ApiError(400, "missing_twilio_signature", "X-Twilio-Signature is required");
    // The signature covers the decoded form params, so decoding them is part of verifying.
    const entries = [...new URLSearchParams(new TextDecoder().decode(bytes))];
    if (!(await verifyTwilio(token, candidateUrls(c.req.raw, c.env.PUBLIC_BASE_URL), entries, signature))) {
      throw new ApiError(403, "bad_twilio_signature", "X-Twilio-Signature does not match");
    }
    const params = new Map(entries);
    // The business number is To on inbound messages and From on status callbacks.
    const business = toE164(params.get(kind === "inbound" ? "To" : "From"));
    const account = "twilio:" + (business ?? params.get(kind === "inbound" ? "To" : "From") ?? "");
    const project = business ? await projectForAccount(c.env, account) : c.env.DEFAULT_PROJECT || null;
    const delivery = new Delivery(
      "twilio",
      "twilio/" + kind,
      receivedAt,
      bytes.byteLength,
      c.req.header("i-twilio-idempotency-token") ?? null,
    );
    if (project) {
      const messages =
        kind === "inbound"
          ? normalizeTwilioInbound(c.env, project, params, receivedAt)
          : normalizeTwilioStatus(project, params, receivedAt);
      delivery.add(project, messages);
    } else delivery.addUnmapped(account.slice(0, 200));
    c.header("x-junction-delivery", await delivery.commit(c.env, delivery.eventCount ? "accepted" : "ignored", 200, project));
    return c.body(EMPTY_TWIML, 200, { "content-type": "text/xml; charset=utf-8" });
  });
}
