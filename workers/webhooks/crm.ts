import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../lib/env";
import { crmResponseSchema } from "../contract";
import { ApiError, badField, parseOr400 } from "../lib/http";
import { doc } from "../lib/openapi";
import { getProject } from "../lib/projects";
import { parseJsonBytes, readRawBody } from "./body";
import { crmBatchSchema, crmContactId, crmEventSchema } from "./crm-schema";
import { agentStatusMessages, normalizeCrmEvent } from "./crm-normalize";
import { Delivery } from "./delivery";
import { requireSecret } from "./secrets";
import { concatBytes, verifySha256Header } from "./signatures";

/** Signed deliveries older or newer than this are refused, so a captured request cannot be replayed later. */
export const CRM_TOLERANCE_SECONDS = 300;

/** The CRM/bot webhook (docs/crm-webhook.md): conversation lifecycle events from any CRM or bot. */
export const crm = new Hono<AppEnv>();

const crmDoc = doc({
  summary: "CRM and bot conversation events",
  description: "Conversation lifecycle events from any CRM or bot (docs/crm-webhook.md); each event is validated on its own.",
  tags: ["webhooks"],
  auth: {
    signature: [
      { header: "X-Junction-Signature", description: 'sha256=HMAC-SHA256(CRM_WEBHOOK_SECRET, "<X-Junction-Timestamp>.<raw body>"), hex' },
      { header: "X-Junction-Timestamp", description: `Unix seconds, within ${CRM_TOLERANCE_SECONDS} s of now` },
    ],
  },
  body: crmBatchSchema.extend({ events: z.array(crmEventSchema).min(1).max(100) }),
  responses: { 202: { description: "at least one event was queued", schema: crmResponseSchema } },
  errors: [
    "missing_signature",
    "stale_timestamp",
    "bad_signature",
    "invalid_json",
    "value_too_deep",
    "invalid_batch",
    "no_valid_events",
    "payload_too_large",
    "not_configured",
    "queue_unavailable",
  ],
});

crm.post("/", crmDoc, async (c) => {
  const receivedAt = Date.now();
  const secret = requireSecret(c.env, "CRM_WEBHOOK_SECRET");
  const bytes = await readRawBody(c.req.raw);
  const signature = c.req.header("x-junction-signature");
  const timestamp = c.req.header("x-junction-timestamp");
  if (!signature || !timestamp) throw new ApiError(401, "missing_signature", "X-Junction-Signature and X-Junction-Timestamp are required");
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(receivedAt / 1000 - Number(timestamp)) > CRM_TOLERANCE_SECONDS) {
    throw new ApiError(401, "stale_timestamp", `X-Junction-Timestamp must be within ${CRM_TOLERANCE_SECONDS} s of now (Unix seconds)`);
  }
  const signed = concatBytes(new TextEncoder().encode(timestamp + "."), bytes);
  if (!(await verifySha256Header(secret, signed, signature)))
    throw new ApiError(401, "bad_signature", "X-Junction-Signature does not match the body");

  const batch = parseOr400(crmBatchSchema, parseJsonBytes(bytes), "batch");
  const projectId = batch.project ?? c.env.DEFAULT_PROJECT;
  if (!projectId) throw badField("invalid_batch", "project", "batch.project is required: this deployment has no default project");
  const project = await getProject(c.env.DB, projectId);
  if (!project) throw badField("invalid_batch", "project", `project "${projectId}" does not exist`);

  const delivery = new Delivery("crm", "crm", receivedAt, bytes.byteLength, c.req.header("x-request-id") ?? null);
  const rejected: { index: number; error: string }[] = [];
  let accepted = 0;
  batch.events.forEach((raw, index) => {
    const parsed = crmEventSchema.safeParse(raw);
    if (!parsed.success) return void rejected.push({ index, error: z.prettifyError(parsed.error) });
    if (parsed.data.type === "agent_status") {
      accepted++;
      return void delivery.add(projectId, agentStatusMessages(projectId, parsed.data, receivedAt));
    }
    const contact = crmContactId(parsed.data.phone ?? "", project.defaultCountry);
    if (!contact.ok) return void rejected.push({ index, error: contact.error });
    accepted++;
    delivery.add(projectId, normalizeCrmEvent(c.env, projectId, batch.source, { ...parsed.data, phone: contact.id }, receivedAt));
  });
  if (!accepted) throw new ApiError(400, "no_valid_events", "no event in the batch is valid", { rejected });
  c.header("x-junction-delivery", await delivery.commit(c.env, "accepted", 202, projectId));
  return c.json({ accepted, rejected }, 202);
});
