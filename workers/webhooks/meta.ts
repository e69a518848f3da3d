import { Hono } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/http";
import { safeEqual } from "../lib/tokens";
import { projectsForAccounts } from "./accounts";
import { readRawBody } from "./body";
import { Delivery } from "./delivery";
import { messageChanges, metaEnvelopeSchema, normalizeMetaChange } from "./meta-normalize";
import { requireSecret } from "./secrets";
import { verifySha256Header } from "./signatures";

/** Meta WhatsApp Cloud API webhooks: subscription handshake and signed deliveries. */
export const meta = new Hono<AppEnv>();

meta.get("/", async (c) => {
  const token = requireSecret(c.env, "META_VERIFY_TOKEN");
  const mode = c.req.query("hub.mode");
  const challenge = c.req.query("hub.challenge") ?? "";
  const given = c.req.query("hub.verify_token") ?? "";
  if (mode !== "subscribe" || !(await safeEqual(given, token))) {
    throw new ApiError(403, "bad_verify_token", "hub.mode or hub.verify_token does not match");
  }
  return c.text(challenge, 200);
});

meta.post("/", async (c) => {
  const receivedAt = Date.now();
  const secret = requireSecret(c.env, "META_APP_SECRET");
  const bytes = await readRawBody(c.req.raw);
  // Meta's legacy SHA-1 header alone is not enough: only X-Hub-Signature-256 is accepted.
  const signature = c.req.header("x-hub-signature-256");
  if (!signature) throw new ApiError(401, "missing_signature", "X-Hub-Signature-256 is required");
  if (!(await verifySha256Header(secret, bytes, signature))) throw new ApiError(401, "bad_signature", "X-Hub-Signature-256 does not match the body");

  const delivery = new Delivery("meta", "meta", receivedAt, bytes.byteLength);
  const body = await delivery.parseJson(c.env, bytes);
  const envelope = metaEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    const id = await delivery.commit(c.env, "invalid", 400);
    throw new ApiError(400, "invalid_payload", "not a Meta webhook envelope", undefined, { "x-junction-delivery": id });
  }
  // Authentic but not WhatsApp (another product subscribed to the same app): acknowledge, ignore.
  if (envelope.data.object !== "whatsapp_business_account") {
    c.header("x-junction-delivery", await delivery.commit(c.env, "ignored", 200));
    return c.json({ ok: true, ignored: true });
  }
  const changes = messageChanges(envelope.data);
  const projects = await projectsForAccounts(c.env, changes.map((ch) => "meta:" + ch.value.metadata.phone_number_id));
  for (const ch of changes) {
    const project = projects.get("meta:" + ch.value.metadata.phone_number_id)!;
    delivery.add(project, normalizeMetaChange(c.env, project, ch.wabaId, ch.value, receivedAt));
  }
  c.header("x-junction-delivery", await delivery.commit(c.env, delivery.eventCount ? "accepted" : "ignored", 200));
  return c.json({ ok: true, events: delivery.eventCount });
});
