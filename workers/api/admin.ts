import { Hono } from "hono";
import { z } from "zod";
import { enqueue } from "../lib/queue";
import { ApiError, parseOr400, readJson } from "../lib/http";
import { forgetProjects } from "../lib/projects";
import { sha256Hex } from "../lib/tokens";
import { requireAdmin, type ApiEnv } from "./auth";

const projectSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "id: lowercase letters, digits and -"),
  name: z.string().min(1).max(200),
  allowed_origins: z.array(z.union([z.literal("*"), z.url()])).default(["*"]),
  whatsapp_accounts: z.array(z.string().regex(/^(meta|twilio|chatwoot|crm):.+$/)).default([]),
});

/** Admin-only routes: projects and the dead-letter store. */
export const adminApi = new Hono<ApiEnv>();
adminApi.use("*", requireAdmin);

/** Creates or updates a project; returns a fresh read token (shown once, stored as a hash). */
adminApi.post("/projects", async (c) => {
  const p = parseOr400(projectSchema, await readJson(c), "project");
  const token = "jrt_" + crypto.randomUUID().replaceAll("-", "");
  await c.env.DB.prepare(
    `INSERT INTO projects (id, name, allowed_origins, read_token_hash, whatsapp_accounts) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, allowed_origins = excluded.allowed_origins,
       read_token_hash = excluded.read_token_hash, whatsapp_accounts = excluded.whatsapp_accounts`,
  )
    .bind(p.id, p.name, JSON.stringify(p.allowed_origins), await sha256Hex(token), JSON.stringify(p.whatsapp_accounts))
    .run();
  forgetProjects();
  return c.json({ ...p, read_token: token }, 201);
});

adminApi.get("/dead-letters", async (c) => {
  const { results } = await c.env.DB.prepare("SELECT * FROM dead_letters ORDER BY id DESC LIMIT 500").all();
  return c.json({ dead_letters: results.map((r) => ({ ...r, body: JSON.parse(r.body as string) })) });
});

/** Puts a dead letter back on the events Queue; dedup by event id makes a replay safe. */
adminApi.post("/dead-letters/:id/replay", async (c) => {
  const id = z.coerce.number().int().positive().safeParse(c.req.param("id"));
  if (!id.success) throw new ApiError(400, "invalid_id", "dead letter id must be a positive integer");
  const row = await c.env.DB.prepare("SELECT body FROM dead_letters WHERE id = ?").bind(id.data).first<{ body: string }>();
  if (!row) throw new ApiError(404, "not_found", `dead letter ${id.data} does not exist`);
  await enqueue(c.env.EVENTS, [JSON.parse(row.body)]);
  await c.env.DB.prepare("UPDATE dead_letters SET replayed_at = ? WHERE id = ?").bind(Date.now(), id.data).run();
  return c.json({ replayed: id.data }, 202);
});
