import { Hono } from "hono";
import { z } from "zod";
import { webhookAckSchema } from "../contract";
import type { AppEnv } from "../lib/env";
import { ApiError, issuesOf } from "../lib/http";
import { doc } from "../lib/openapi";
import { safeEqual } from "../lib/tokens";
import { projectsForAccounts } from "./accounts";
import { readRawBody } from "./body";
import { Delivery } from "./delivery";
import { linkedPhones } from "../lib/person";
import { bsuidsWithoutPhone, messageChanges, metaEnvelopeSchema, normalizeMetaChange } from "./meta-normalize";
import { requireSecret } from "./secrets";
import { verifySha256Header } from "./signatures";

/** Meta WhatsApp Cloud API webhooks: subscription handshake and signed deliveries. */
export const meta = new Hono<AppEnv>();

const subscribeDoc = doc({
  summary: "Meta subscription check",
  description:
    "Meta calls it once when the webhook is configured; answers `hub.challenge` when `hub.verify_token` matches META_VERIFY_TOKEN.",
  tags: ["webhooks"],
  auth: "public",
  query: z.object({ "hub.mode": z.literal("subscribe"), "hub.verify_token": z.string(), "hub.challenge": z.string() }),
  responses: { 200: { description: "the challenge, echoed", schema: z.string(), type: "text/plain" } },
  errors: ["bad_verify_token", "not_configured"],
});

const deliveryDoc = doc({
  summary: "Meta WhatsApp Cloud API deliveries",
  description:
    "Verified over the raw bytes with X-Hub-Signature-256 before anything is parsed; messages, statuses and contacts become events.",
  tags: ["webhooks"],
  auth: { signature: [{ header: "X-Hub-Signature-256", description: "sha256=HMAC-SHA256(META_APP_SECRET, raw body), hex" }] },
  body: metaEnvelopeSchema,
  responses: {
    200: {
      description: "accepted, or authentic but ignored",
      schema: webhookAckSchema,
      headers: { "x-junction-delivery": "id of the recorded delivery (GET /api/projects/{project}/webhooks/deliveries)" },
    },
  },
  errors: [
    "missing_signature",
    "bad_signature",
    "invalid_json",
    "value_too_deep",
    "invalid_payload",
    "payload_too_large",
    "not_configured",
    "queue_unavailable",
  ],
});

meta.get("/", subscribeDoc, async (c) => {
  const token = requireSecret(c.env, "META_VERIFY_TOKEN");
  const mode = c.req.query("hub.mode");
  const challenge = c.req.query("hub.challenge") ?? "";
  const given = c.req.query("hub.verify_token") ?? "";
  if (mode !== "subscribe" || !(await safeEqual(given, token))) {
    throw new ApiError(403, "bad_verify_token", "hub.mode or hub.verify_token does not match");
  }
  return c.text(challenge, 200);
});

meta.post("/", deliveryDoc, async (c) => {
  const receivedAt = Date.now();
  const secret = requireSecret(c.env, "META_APP_SECRET");
  const bytes = await readRawBody(c.req.raw);
  // Meta's legacy SHA-1 header alone is not enough: only X-Hub-Signature-256 is accepted.
  const signature = c.req.header("x-hub-signature-256");
  if (!signature) throw new ApiError(401, "missing_signature", "X-Hub-Signature-256 is required");
  if (!(await verifySha256Header(secret, bytes, signature)))
    throw new ApiError(401, "bad_signature", "X-Hub-Signature-256 does not match the body");

  const delivery = new Delivery("meta", "meta", receivedAt, bytes.byteLength);
  const body = await delivery.parseJson(c.env, bytes);
  const envelope = metaEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    const id = await delivery.commit(c.env, "invalid", 400);
    throw new ApiError(400, "invalid_payload", "not a Meta webhook envelope", issuesOf(envelope.error), { "x-junction-delivery": id });
  }
  // Authentic but not WhatsApp (another product subscribed to the same app): acknowledge, ignore.
  if (envelope.data.object !== "whatsapp_business_account") {
    c.header("x-junction-delivery", await delivery.commit(c.env, "ignored", 200));
    return c.json({ ok: true, ignored: true });
  }
  const changes = messageChanges(envelope.data);
  const projects = await projectsForAccounts(
    c.env,
    changes.map((ch) => "meta:" + ch.value.metadata.phone_number_id),
  );
  // Contacts known by BSUID alone: the phone they were linked to before keeps their conversation.
  const bsuids = new Map<string, string[]>();
  for (const ch of changes) {
    const project = projects.get("meta:" + ch.value.metadata.phone_number_id);
    if (project) bsuids.set(project, [...(bsuids.get(project) ?? []), ...bsuidsWithoutPhone(ch.value)]);
  }
  const known = new Map(await Promise.all([...bsuids].map(async ([p, ids]) => [p, await linkedPhones(c.env.DB, p, ids)] as const)));
  for (const ch of changes) {
    const account = "meta:" + ch.value.metadata.phone_number_id;
    const project = projects.get(account);
    if (project) delivery.add(project, normalizeMetaChange(c.env, project, ch.wabaId, ch.value, receivedAt, known.get(project)));
    else delivery.addUnmapped(account);
  }
  c.header("x-junction-delivery", await delivery.commit(c.env, delivery.eventCount ? "accepted" : "ignored", 200));
  return c.json({ ok: true, events: delivery.eventCount });
});
