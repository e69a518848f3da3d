import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { ApiError, parseOr400 } from "../lib/http";
import { getProject } from "../lib/projects";
import { parseJsonBytes, readRawBody } from "./body";
import { crmBatchSchema, crmEventSchema } from "./crm-schema";
import { normalizeCrmEvent } from "./crm-normalize";
import { Delivery } from "./delivery";
import { requireSecret } from "./secrets";
import { concatBytes, verifySha256Header } from "./signatures";

/** Signed deliveries older or newer than this are refused, so a captured request cannot be replayed later. */
export const CRM_TOLERANCE_SECONDS = 300;

/** The CRM/bot webhook (docs/crm-webhook.md): conversation lifecycle events from any CRM or bot. */
export const crm = new Hono<AppEnv>();

crm.post("/", async (c) => {
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
  if (!(await verifySha256Header(secret, signed, signature))) throw new ApiError(401, "bad_signature", "X-Junction-Signature does not match the body");

  const batch = parseOr400(crmBatchSchema, parseJsonBytes(bytes), "batch");
  const projectId = batch.project ?? c.env.DEFAULT_PROJECT;
  if (!(await getProject(c.env.DB, projectId))) throw new ApiError(400, "unknown_project", `project "${projectId}" does not exist`);

  const delivery = new Delivery("crm", "crm", receivedAt, bytes.byteLength, c.req.header("x-request-id") ?? null);
  const rejected: { index: number; error: string }[] = [];
  let accepted = 0;
  batch.events.forEach((raw, index) => {
    const parsed = crmEventSchema.safeParse(raw);
    if (!parsed.success) return void rejected.push({ index, error: z.prettifyError(parsed.error) });
    accepted++;
    delivery.add(projectId, normalizeCrmEvent(c.env, projectId, batch.source, parsed.data, receivedAt));
  });
  if (!accepted) throw new ApiError(400, "no_valid_events", "no event in the batch is valid", { rejected });
  c.header("x-junction-delivery", await delivery.commit(c.env, "accepted", 202, projectId));
  return c.json({ accepted, rejected }, 202);
});
