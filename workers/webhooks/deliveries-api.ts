import { Hono } from "hono";
import { z } from "zod";
import type { ApiEnv } from "../api/auth";
import { parseOr400 } from "../lib/http";

const querySchema = z.object({
  provider: z.enum(["meta", "twilio", "chatwoot", "crm"]).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `GET /api/projects/:project/webhooks/deliveries`: the audit trail answering "did we receive it?". */
export const deliveriesApi = new Hono<ApiEnv>();

deliveriesApi.get("/", async (c) => {
  const q = parseOr400(querySchema, c.req.query(), "query");
  const where = ["project_id = ?"];
  const params: unknown[] = [c.get("project").id];
  if (q.provider) (where.push("provider = ?"), params.push(q.provider));
  if (q.since) (where.push("received_at >= ?"), params.push(Date.parse(q.since)));
  const { results } = await c.env.DB.prepare(
    `SELECT * FROM webhook_deliveries WHERE ${where.join(" AND ")} ORDER BY received_at DESC, id DESC LIMIT ?`,
  )
    .bind(...params, q.limit)
    .all<Record<string, unknown>>();
  return c.json({
    deliveries: results.map((r) => ({
      id: r.id,
      provider: r.provider,
      endpoint: r.endpoint,
      received_at: new Date(r.received_at as number).toISOString(),
      verified: Boolean(r.verified),
      size_bytes: r.size_bytes,
      outcome: r.outcome,
      http_status: r.http_status,
      event_ids: JSON.parse(r.event_ids as string) as string[],
      delivery_ref: r.delivery_ref,
    })),
  });
});
