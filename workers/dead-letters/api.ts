import { Hono } from "hono";
import { deadLettersSchema, replayAllSchema, replayOneSchema, type QueueMessageInput } from "../contract";
import { z } from "zod";
import { requireAdmin, type ApiEnv } from "../lib/auth";
import { ApiError, badField } from "../lib/http";
import { doc } from "../lib/openapi";
import { enqueue } from "../lib/queue";

/** The dead-letter store: inspect and replay messages the consumer could not store (admin only). */
export const deadLettersApi = new Hono<ApiEnv>();
deadLettersApi.use("*", requireAdmin);

/** A stored body as JSON, or its text when it does not parse (e.g. nested past JSON.parse's depth). */
function parsedBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A body that can go back on the Queue: JSON, and not the marker kept for one too deep or too large to store. */
function replayable(body: unknown): body is QueueMessageInput {
  if (typeof body !== "object" || body === null) return false;
  const b = body as { unserializable?: unknown; truncated?: unknown };
  return b.unserializable !== true && b.truncated !== true;
}

const listDoc = doc({
  summary: "Messages the consumer could not store",
  tags: ["admin"],
  auth: "admin",
  responses: { 200: { description: "the newest 500", schema: deadLettersSchema } },
});

deadLettersApi.get("/", listDoc, async (c) => {
  const { results } = await c.env.DB.prepare("SELECT * FROM dead_letters ORDER BY id DESC LIMIT 500").all();
  return c.json({ dead_letters: results.map((r) => ({ ...r, body: parsedBody(r.body as string) })) });
});

/** Puts every dead letter not yet replayed (up to 500, oldest first) back on the events Queue. */
const replayAllDoc = doc({
  summary: "Queue every dead letter not yet replayed again (up to 500, oldest first)",
  tags: ["admin"],
  auth: "admin",
  responses: { 202: { description: "how many were queued and skipped", schema: replayAllSchema } },
  errors: ["queue_unavailable"],
});

deadLettersApi.post("/replay", replayAllDoc, async (c) => {
  const { results } = await c.env.DB.prepare("SELECT id, body FROM dead_letters WHERE replayed_at IS NULL ORDER BY id LIMIT 500").all<{
    id: number;
    body: string;
  }>();
  const queued = results.filter((r) => replayable(parsedBody(r.body)));
  if (queued.length)
    await enqueue(
      c.env.EVENTS,
      queued.map((r) => parsedBody(r.body) as QueueMessageInput),
    );
  const ids = JSON.stringify(queued.map((r) => r.id));
  await c.env.DB.prepare("UPDATE dead_letters SET replayed_at = ? WHERE id IN (SELECT value FROM json_each(?))")
    .bind(Date.now(), ids)
    .run();
  return c.json({ replayed: queued.length, skipped: results.length - queued.length }, 202);
});

/** Puts a dead letter back on the events Queue; dedup by event id makes a replay safe. */
const replayOneDoc = doc({
  summary: "Queue one dead letter again",
  tags: ["admin"],
  auth: "admin",
  responses: { 202: { description: "queued", schema: replayOneSchema } },
  errors: ["invalid_id", "not_found", "not_replayable", "queue_unavailable"],
});

deadLettersApi.post("/:id/replay", replayOneDoc, async (c) => {
  const id = z.coerce.number().int().positive().safeParse(c.req.param("id"));
  if (!id.success) throw badField("invalid_id", "id", "dead letter id must be a positive integer");
  const row = await c.env.DB.prepare("SELECT body FROM dead_letters WHERE id = ?").bind(id.data).first<{ body: string }>();
  if (!row) throw new ApiError(404, "not_found", `dead letter ${id.data} does not exist`);
  const body = parsedBody(row.body);
  if (!replayable(body)) throw new ApiError(409, "not_replayable", `dead letter ${id.data} has no JSON body to replay`);
  await enqueue(c.env.EVENTS, [body]);
  await c.env.DB.prepare("UPDATE dead_letters SET replayed_at = ? WHERE id = ?").bind(Date.now(), id.data).run();
  return c.json({ replayed: id.data }, 202);
});
