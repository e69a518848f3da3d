import { Hono } from "hono";
import { z } from "zod";
import { CHANNELS, eventNameSchema, eventsPageSchema, WHATSAPP_ID_MAX } from "../contract";
import { badField, parseOr400 } from "../lib/http";
import type { ApiEnv } from "../lib/auth";
import { doc } from "../lib/openapi";
import { eventRow } from "../lib/rows";

const querySchema = z.object({
  event_name: eventNameSchema.optional(),
  channel: z.enum(CHANNELS).optional(),
  anonymous_id: z.string().max(128).optional(),
  external_id: z.string().max(WHATSAPP_ID_MAX).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(300).optional(),
});

/** Cursor = the last row's (timestamp, event_id), so pages stay stable while events arrive. */
function decodeCursor(cursor: string): [number, string] {
  try {
    const [ts, id] = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
    if (typeof ts === "number" && typeof id === "string") return [ts, id];
  } catch {}
  throw badField("invalid_cursor", "cursor", "cursor is not one this API returned");
}
const encodeCursor = (ts: number, id: string) =>
  btoa(JSON.stringify([ts, id]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

export const eventsApi = new Hono<ApiEnv>();

const listDoc = doc({
  summary: "Stored events, newest first, a page at a time",
  tags: ["events"],
  auth: "project",
  query: querySchema,
  responses: { 200: { description: "a page of events and the cursor of the next", schema: eventsPageSchema } },
  errors: ["invalid_query", "invalid_cursor"],
});

eventsApi.get("/", listDoc, async (c) => {
  const q = parseOr400(querySchema, c.req.query(), "query");
  const where = ["project_id = ?"];
  const params: unknown[] = [c.get("project").id];
  const add = (clause: string, value: unknown) => (where.push(clause), params.push(value));
  if (q.event_name) add("event_name = ?", q.event_name);
  if (q.channel) add("channel_type = ?", q.channel);
  if (q.anonymous_id) add("anonymous_id = ?", q.anonymous_id);
  if (q.external_id) add("external_id = ?", q.external_id);
  if (q.since) add("timestamp >= ?", Date.parse(q.since));
  if (q.until) add("timestamp < ?", Date.parse(q.until));
  if (q.cursor) {
    const [ts, id] = decodeCursor(q.cursor);
    where.push("(timestamp < ? OR (timestamp = ? AND event_id < ?))");
    params.push(ts, ts, id);
  }
  const sql = `SELECT * FROM events WHERE ${where.join(" AND ")} ORDER BY timestamp DESC, event_id DESC LIMIT ?`;
  const { results } = await c.env.DB.prepare(sql)
    .bind(...params, q.limit + 1)
    .all<Record<string, unknown>>();
  const page = results.slice(0, q.limit);
  const last = page.at(-1);
  const next = results.length > q.limit && last ? encodeCursor(last.timestamp as number, last.event_id as string) : null;
  return c.json({ events: page.map(eventRow), next_cursor: next });
});
