import { Hono } from "hono";
import { z } from "zod";
import { deliveriesSchema, UNMAPPED_PROJECT, WEBHOOK_PROVIDERS } from "../contract";
import { requireAdmin, type ApiEnv } from "../lib/auth";
import { doc } from "../lib/openapi";
import { parseOr400 } from "../lib/http";

const querySchema = z.object({
  provider: z.enum(WEBHOOK_PROVIDERS).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `GET /api/projects/:project/webhooks/deliveries`: the audit trail answering "did we receive it?". */
export const deliveriesApi = new Hono<ApiEnv>();

const listDoc = doc({
  summary: "Webhook deliveries received for the project",
  tags: ["webhooks"],
  auth: "project",
  query: querySchema,
  responses: { 200: { description: "newest first", schema: deliveriesSchema } },
  errors: ["invalid_query"],
});

deliveriesApi.get("/", listDoc, async (c) => c.json({ deliveries: await listDeliveries(c.env.DB, c.get("project").id, c.req.query()) }));

/**
 * `GET /api/webhooks/unmapped` (admin): authentic deliveries whose account no project claims,
 * with the accounts, so they can be added to a project's `whatsapp_accounts`.
 */
export const unmappedDeliveriesApi = new Hono<ApiEnv>();
unmappedDeliveriesApi.use("*", requireAdmin);

const unmappedDoc = doc({
  summary: "Authentic webhook deliveries no project claims",
  description: "With their accounts, so they can be added to a project's `whatsapp_accounts`.",
  tags: ["admin"],
  auth: "admin",
  query: querySchema,
  responses: { 200: { description: "newest first", schema: deliveriesSchema } },
  errors: ["invalid_query"],
});

unmappedDeliveriesApi.get("/", unmappedDoc, async (c) =>
  c.json({ deliveries: await listDeliveries(c.env.DB, UNMAPPED_PROJECT, c.req.query()) }),
);

async function listDeliveries(db: D1Database, projectId: string, query: Record<string, string>) {
  const q = parseOr400(querySchema, query, "query");
  const where = ["project_id = ?"];
  const params: unknown[] = [projectId];
  if (q.provider) where.push("provider = ?"), params.push(q.provider);
  if (q.since) where.push("received_at >= ?"), params.push(Date.parse(q.since));
  const { results } = await db
    .prepare(`SELECT * FROM webhook_deliveries WHERE ${where.join(" AND ")} ORDER BY received_at DESC, id DESC LIMIT ?`)
    .bind(...params, q.limit)
    .all<Record<string, unknown>>();
  return results.map((r) => ({
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
    accounts: r.accounts ? (JSON.parse(r.accounts as string) as string[]) : [],
  }));
}
