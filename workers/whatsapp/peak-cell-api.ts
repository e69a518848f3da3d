import { Hono } from "hono";
import { z } from "zod";
import { peakHourMessagesSchema, type PeakHourMessages } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { filterQuerySchema } from "../lib/filters";
import { whatsappFilters, whatsappWhere } from "../lib/filters/whatsapp";
import { parseOr400 } from "../lib/http";
import { doc } from "../lib/openapi";
import { eventRow } from "../lib/rows";
import { cellIntervals } from "./quarters";

/** The messages behind one peak-hours cell: GET /api/projects/:p/whatsapp/peak-hours/messages */
export const peakCellApi = new Hono<ApiEnv>();

const cellQuerySchema = z.object({
  weekday: z.coerce.number().int().min(0).max(6),
  hour: z.coerce.number().int().min(0).max(23),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(300).optional(),
});

const cellDoc = doc({
  summary: "The inbound messages behind one peak-hours cell",
  description:
    "Filtered as `GET /whatsapp/peak-hours`, narrowed to one weekday (0 = Monday) and local hour in `tz`; newest first, cursor pages. `total` equals the cell.",
  tags: ["whatsapp"],
  auth: "project",
  query: filterQuerySchema.extend(cellQuerySchema.shape),
  responses: { 200: { description: "a page of messages, and the cursor of the next", schema: peakHourMessagesSchema } },
  errors: ["invalid_query", "invalid_range", "invalid_cursor"],
});

peakCellApi.get("/peak-hours/messages", cellDoc, async (c) => {
  const q = parseOr400(cellQuerySchema, c.req.query(), "query");
  const f = whatsappFilters(c.req.query());
  const w = whatsappWhere(c.get("project").id, f, ["message_received"]);
  // One bound parameter for up to ~60 intervals (a 400-day range): D1 caps a statement at 100.
  const inCell =
    "EXISTS (SELECT 1 FROM json_each(?) j WHERE timestamp >= json_extract(j.value, '$[0]') AND timestamp < json_extract(j.value, '$[1]'))";
  const cells = JSON.stringify(cellIntervals(f, q.weekday, q.hour));
  const cursor = q.cursor ? decodeCursor(q.cursor, "number", "string") : null;
  const after = cursor ? " AND (timestamp < ? OR (timestamp = ? AND event_id < ?))" : "";
  const [total, page] = await c.env.DB.batch<Record<string, unknown>>([
    c.env.DB.prepare(`SELECT count(*) AS n FROM events WHERE ${w.sql} AND ${inCell}`).bind(...w.params, cells),
    c.env.DB.prepare(`SELECT * FROM events WHERE ${w.sql} AND ${inCell}${after} ORDER BY timestamp DESC, event_id DESC LIMIT ?`).bind(
      ...w.params,
      cells,
      ...(cursor ? [cursor[0], cursor[0], cursor[1]] : []),
      q.limit + 1,
    ),
  ]);
  const shown = page.results.slice(0, q.limit);
  const last = shown.at(-1);
  const next = page.results.length > q.limit && last ? encodeCursor([last.timestamp as number, last.event_id as string]) : null;
  return c.json({
    weekday: q.weekday,
    hour: q.hour,
    total: (total.results[0]?.n as number) ?? 0,
    events: shown.map(eventRow),
    next_cursor: next,
  } as PeakHourMessages);
});
