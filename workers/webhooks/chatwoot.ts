import { Hono } from "hono";
import type { AppEnv } from "../lib/env";
import { webhookAckSchema } from "../contract";
import { ApiError } from "../lib/http";
import { doc } from "../lib/openapi";
import { projectForAccount } from "./accounts";
import { readRawBody } from "./body";
import { chatwootConversationSchema, conversationAccount, normalizeChatwootConversation } from "./chatwoot-conversation";
import { chatwootMessageSchema, normalizeChatwootMessage } from "./chatwoot-normalize";
import { Delivery } from "./delivery";
import { requireSecret } from "./secrets";
import { concatBytes, verifySha256Header } from "./signatures";

/** Chatwoot (CRM) webhooks, signed as sha256=HMAC(secret, "<X-Chatwoot-Timestamp>.<raw body>"). */
export const chatwoot = new Hono<AppEnv>();

const chatwootDoc = doc({
  summary: "Chatwoot webhooks",
  description: "Messages and conversation status changes; other Chatwoot events are acknowledged and ignored.",
  tags: ["webhooks"],
  auth: {
    signature: [
      {
        header: "X-Chatwoot-Signature",
        description: 'sha256=HMAC-SHA256(CHATWOOT_WEBHOOK_SECRET, "<X-Chatwoot-Timestamp>.<raw body>"), hex',
      },
      { header: "X-Chatwoot-Timestamp", description: "the timestamp the signature covers" },
    ],
  },
  body: chatwootMessageSchema,
  responses: { 200: { description: "accepted, or authentic but ignored", schema: webhookAckSchema } },
  errors: [
    "missing_signature",
    "bad_signature",
    "invalid_json",
    "value_too_deep",
    "payload_too_large",
    "not_configured",
    "queue_unavailable",
  ],
});

chatwoot.post("/", chatwootDoc, async (c) => {
  const receivedAt = Date.now();
  const secret = requireSecret(c.env, "CHATWOOT_WEBHOOK_SECRET");
  const bytes = await readRawBody(c.req.raw);
  const signature = c.req.header("x-chatwoot-signature");
  const timestamp = c.req.header("x-chatwoot-timestamp");
  if (!signature || !timestamp) throw new ApiError(401, "missing_signature", "X-Chatwoot-Signature and X-Chatwoot-Timestamp are required");
  // No freshness window here: Chatwoot retries old deliveries, and replays dedupe by message id.
  const signed = concatBytes(new TextEncoder().encode(timestamp + "."), bytes);
  if (!(await verifySha256Header(secret, signed, signature)))
    throw new ApiError(401, "bad_signature", "X-Chatwoot-Signature does not match the body");

  const delivery = new Delivery("chatwoot", "chatwoot", receivedAt, bytes.byteLength, c.req.header("x-chatwoot-delivery") ?? null);
  const body = await delivery.parseJson(c.env, bytes);
  const message = chatwootMessageSchema.safeParse(body);
  const conversation = chatwootConversationSchema.safeParse(body);
  const account = message.success ? message.data.account.id : conversation.success ? conversationAccount(conversation.data) : null;
  // Other Chatwoot events (conversation_created, webwidget_triggered…) are acknowledged and ignored.
  if (account == null) {
    c.header("x-junction-delivery", await delivery.commit(c.env, "ignored", 200));
    return c.json({ ok: true, ignored: true });
  }
  const project = await projectForAccount(c.env, "chatwoot:" + account);
  if (!project) delivery.addUnmapped("chatwoot:" + account);
  else if (message.success) delivery.add(project, normalizeChatwootMessage(c.env, project, message.data, receivedAt));
  else if (conversation.success) delivery.add(project, normalizeChatwootConversation(project, conversation.data, receivedAt));
  c.header("x-junction-delivery", await delivery.commit(c.env, delivery.eventCount ? "accepted" : "ignored", 200, project));
  return c.json({ ok: true, events: delivery.eventCount });
});
