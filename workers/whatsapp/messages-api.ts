import { Hono } from "hono";
import { z } from "zod";
import {
  DELIVERY_GROUPS,
  WHATSAPP_MESSAGE_FIGURES,
  whatsappContactsSchema,
  whatsappMessagesSchema,
  type WhatsAppContacts,
  type WhatsAppMessages,
} from "../contract";
import type { ApiEnv } from "../lib/auth";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { filterQuerySchema, inBucket, type Filters, type Sql } from "../lib/filters";
import { whatsappFilters, whatsappWhere } from "../lib/filters/whatsapp";
import { badField, parseOr400 } from "../lib/http";
import { doc } from "../lib/openapi";
import { eventRow } from "../lib/rows";
import { DELIVERY_FIGURES, deliveryMessages, MESSAGE_ID, STATUS_FAILED, STATUS_REACH, type DeliveryFigure } from "./delivery";
import { MESSAGE_EVENTS, MESSAGE_KEY } from "./volume";

/**
 * The lists behind the WhatsApp page's figures: GET /api/projects/:p/whatsapp/messages (messages in
 * and out, the delivery funnel's steps) and /whatsapp/contacts (unique contacts). Each list is
 * built from the same SQL as its figure, so its `total` is the figure, not a recount that may drift.
 */
export const messagesApi = new Hono<ApiEnv>();

const ERRORS = ["invalid_query", "invalid_range", "invalid_cursor"] as const;
const page = { limit: z.coerce.number().int().min(1).max(1000).default(100), cursor: z.string().max(400).optional() };

const messagesQuerySchema = z.object({
  figure: z.enum(WHATSAPP_MESSAGE_FIGURES),
  /** One bucket of the messages-over-time chart (its label in `tz` at `interval`): messages_in/out only. */
  bucket: z.string().min(1).max(32).optional(),
  /** One row of the delivery-by-template/campaign table: delivery figures only; no `value` = the untagged row. */
  group: z.enum(DELIVERY_GROUPS).optional(),
  value: z.string().max(2048).optional(),
  ...page,
});
type MessagesQuery = z.infer<typeof messagesQuerySchema>;

const contactsQuerySchema = z.object(page);

// The columns ranking adds to an event row; they stay out of the response.
const eventOnly = ({ rn: _rn, mid: _mid, ...event }: Record<string, unknown>) => event;

/** Each figure's messages, as `events` rows, one per message the figure counts (an `r` CTE, columns of `events` + `rn`). */
function figureRows(project: string, f: Filters, q: MessagesQuery): Sql {
  if (q.figure === "messages_in") {
    // Every inbound event is one message (messageVolume's sum over message_received).
    const g = q.bucket === undefined ? f : inBucket(f, q.bucket);
    const w = whatsappWhere(project, g, ["message_received"]);
    return { sql: `WITH r AS (SELECT *, 1 AS rn FROM events WHERE ${w.sql})`, params: w.params };
  }
  if (q.figure === "messages_out") {
    // An outbound message may be reported more than once (agent and bot, or by two sources): it is
    // counted once, in the bucket of its first report, so that report stands for it.
    const w = whatsappWhere(project, f, ["message_sent", "bot_response"]);
    const ranked = `SELECT *, row_number() OVER (PARTITION BY ${MESSAGE_KEY} ORDER BY timestamp, event_id) AS rn FROM events WHERE ${w.sql}`;
    const b = q.bucket === undefined ? null : inBucket(f, q.bucket);
    const within = b ? " AND timestamp >= ? AND timestamp < ?" : "";
    return { sql: `WITH r AS (SELECT * FROM (${ranked}) WHERE rn = 1${within})`, params: [...w.params, ...(b ? [b.from, b.to] : [])] };
  }
  return deliveryFigureRows(project, f, q, q.figure);
}

/**
 * A delivery figure's messages: those `deliveryMessages` counts in it (of one tag row with `group`),
 * each shown by the status event that took it furthest (a failure above a bare `sent`, the latest on ties).
 */
function deliveryFigureRows(project: string, f: Filters, q: MessagesQuery, figure: DeliveryFigure): Sql {
  const m = deliveryMessages(project, f, q.group);
  const s = whatsappWhere(project, f, ["message_status"]);
  const inRow = q.group ? " AND coalesce(m.value, '') = ?" : "";
  const sql = `${m.sql},
    picked AS (SELECT mid FROM m WHERE ${DELIVERY_FIGURES[figure]}${inRow}),
    ranked AS (SELECT *, ${MESSAGE_ID} AS mid,
        row_number() OVER (PARTITION BY ${MESSAGE_ID} ORDER BY ${STATUS_REACH} DESC, ${STATUS_FAILED} DESC, timestamp DESC, event_id DESC) AS rn
      FROM events WHERE ${s.sql}),
    r AS (SELECT ranked.* FROM ranked JOIN picked ON picked.mid = ranked.mid WHERE ranked.rn = 1)`;
  return { sql, params: [...m.params, ...(q.group ? [q.value ?? ""] : []), ...s.params] };
}

/** The narrowings that do not apply to a figure are refused rather than ignored, so a list never silently differs from its number. */
function checkNarrowing(q: MessagesQuery) {
  const volume = q.figure === "messages_in" || q.figure === "messages_out";
  if (volume && q.group) throw badField("invalid_query", "group", "group narrows the delivery figures (sent, delivered, read, failed)");
  if (!volume && q.bucket !== undefined) throw badField("invalid_query", "bucket", "bucket narrows messages_in and messages_out");
  if (q.value !== undefined && !q.group) throw badField("invalid_query", "value", "value needs a group");
}

const messagesDoc = doc({
  summary: "The messages behind a WhatsApp figure",
  description:
    "Filtered as `GET /whatsapp/overview`. `figure=messages_in|messages_out`, optionally narrowed to one `bucket` of " +
    "`/whatsapp/messages-series` (its label, at `interval` in `tz`); `figure=sent|delivered|read|failed`, optionally narrowed " +
    "to one row of `/whatsapp/delivery` (`group` + `value`; no `value` = the untagged row). One event per message counted " +
    "(a delivery figure's message by the status event that took it furthest); newest first, cursor pages. `total` equals the figure.",
  tags: ["whatsapp"],
  auth: "project",
  query: filterQuerySchema.extend(messagesQuerySchema.shape),
  responses: { 200: { description: "a page of messages, and the cursor of the next", schema: whatsappMessagesSchema } },
  errors: [...ERRORS],
});

messagesApi.get("/messages", messagesDoc, async (c) => {
  const q = parseOr400(messagesQuerySchema, c.req.query(), "query");
  checkNarrowing(q);
  const f = whatsappFilters(c.req.query());
  const r = figureRows(c.get("project").id, f, q);
  const cursor = q.cursor ? decodeCursor(q.cursor, "number", "string") : null;
  const after = cursor ? " WHERE timestamp < ? OR (timestamp = ? AND event_id < ?)" : "";
  const [total, rows] = await c.env.DB.batch<Record<string, unknown>>([
    c.env.DB.prepare(`${r.sql} SELECT count(*) AS n FROM r`).bind(...r.params),
    c.env.DB.prepare(`${r.sql} SELECT * FROM r${after} ORDER BY timestamp DESC, event_id DESC LIMIT ?`).bind(
      ...r.params,
      ...(cursor ? [cursor[0], cursor[0], cursor[1]] : []),
      q.limit + 1,
    ),
  ]);
  const shown = rows.results.slice(0, q.limit).map(eventOnly);
  const last = shown.at(-1);
  const next = rows.results.length > q.limit && last ? encodeCursor([last.timestamp as number, last.event_id as string]) : null;
  return c.json({
    figure: q.figure,
    total: (total.results[0]?.n as number) ?? 0,
    events: shown.map(eventRow),
    next_cursor: next,
  } as WhatsAppMessages);
});

const contactsDoc = doc({
  summary: "The contacts behind the WhatsApp unique-contacts figure",
  description:
    "Filtered as `GET /whatsapp/overview`: every contact (`external_id`) who wrote or was written to in the range, with their " +
    "first and last message and how many messages; latest message first, cursor pages. `total` equals `unique_contacts`.",
  tags: ["whatsapp"],
  auth: "project",
  query: filterQuerySchema.extend(contactsQuerySchema.shape),
  responses: { 200: { description: "a page of contacts, and the cursor of the next", schema: whatsappContactsSchema } },
  errors: [...ERRORS],
});

type ContactRow = { external_id: string; person_id: string | null; first: number; last: number; messages: number };

messagesApi.get("/contacts", contactsDoc, async (c) => {
  const q = parseOr400(contactsQuerySchema, c.req.query(), "query");
  const f = whatsappFilters(c.req.query());
  const w = whatsappWhere(c.get("project").id, f, MESSAGE_EVENTS);
  const cursor = q.cursor ? decodeCursor(q.cursor, "number", "string") : null;
  const after = cursor ? " HAVING max(timestamp) < ? OR (max(timestamp) = ? AND external_id < ?)" : "";
  const [total, rows] = await c.env.DB.batch<Record<string, unknown>>([
    // The overview's own count: distinct external ids of the range's messages.
    c.env.DB.prepare(`SELECT count(DISTINCT external_id) AS n FROM events WHERE ${w.sql}`).bind(...w.params),
    c.env.DB.prepare(
      `SELECT external_id, max(person_id) AS person_id, min(timestamp) AS first, max(timestamp) AS last,
         count(DISTINCT ${MESSAGE_KEY}) AS messages
       FROM events WHERE ${w.sql} AND external_id IS NOT NULL GROUP BY external_id${after}
       ORDER BY last DESC, external_id DESC LIMIT ?`,
    ).bind(...w.params, ...(cursor ? [cursor[0], cursor[0], cursor[1]] : []), q.limit + 1),
  ]);
  const found = rows.results as ContactRow[];
  const shown = found.slice(0, q.limit);
  const last = shown.at(-1);
  return c.json({
    total: (total.results[0]?.n as number) ?? 0,
    contacts: shown.map((r) => ({
      external_id: r.external_id,
      person_id: r.person_id,
      timeline: { kind: "external_id", value: r.external_id },
      first_message_at: new Date(r.first).toISOString(),
      last_message_at: new Date(r.last).toISOString(),
      messages: r.messages,
    })),
    next_cursor: found.length > q.limit && last ? encodeCursor([last.last, last.external_id]) : null,
  } satisfies WhatsAppContacts);
});
