import { z } from "zod";
import { PEOPLE_METRICS, type PersonRow, type TimelineRef } from "../../contract";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { badField } from "../../lib/http";
import { DIMENSIONS, dimensionSchema, eventWhere, inBucket, type Filters, type Sql } from "../../lib/filters";
import { sessionKey, visitorKey } from "../dimensions";

/**
 * What narrows a figure to the list behind it, besides the shared filters: one series bucket (its
 * label, as `series[].bucket` shows it) and/or one breakdown value (`dimension` + `value`; no
 * `value` = the row shown as null, events without one).
 */
const narrowSchema = z
  .object({
    bucket: z.string().min(1).max(32).optional(),
    dimension: dimensionSchema.optional(),
    value: z.string().max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().max(4000).optional(),
  })
  .loose();

export const peopleQuerySchema = narrowSchema.extend({ metric: z.enum(PEOPLE_METRICS).default("visitors") });
export const eventsQuerySchema = narrowSchema.extend({ metric: z.enum(["events", "pageviews"]).default("events") });

type Narrow = z.infer<typeof narrowSchema>;

/** The filters narrowed to one bucket, and the WHERE over `events e` for them and the breakdown value. */
function narrowed(projectId: string, f: Filters, q: Narrow, extra: Sql[] = []): { f: Filters; where: Sql } {
  const g = q.bucket === undefined ? f : inBucket(f, q.bucket);
  if (q.value !== undefined && !q.dimension) throw badField("invalid_query", "value", "value needs a dimension");
  const w = eventWhere(projectId, g, { alias: "e" });
  const parts = [w.sql];
  const params = [...w.params];
  if (q.dimension) parts.push(`coalesce(e.${DIMENSIONS[q.dimension]}, '') = ?`), params.push(q.value ?? "");
  for (const x of extra) parts.push(x.sql), params.push(...x.params);
  return { f: g, where: { sql: parts.join(" AND "), params } };
}

const V = visitorKey("e.");
const S = sessionKey("e.");
// Which id the visitor key came from, so the row can open the person's timeline.
const KIND = "min(CASE WHEN e.anonymous_id IS NOT NULL THEN 0 WHEN e.external_id IS NOT NULL THEN 1 ELSE 2 END)";
const KINDS: TimelineRef["kind"][] = ["anonymous_id", "external_id", "user_id"];

function timelineRef(visitor: string, kind: number): TimelineRef {
  const k = KINDS[kind] ?? "anonymous_id";
  return { kind: k, value: k === "anonymous_id" ? visitor : visitor.slice(2) };
}

type PeopleRow = {
  visitor: string;
  session: string | null;
  person_id: string | null;
  kind: number;
  events: number;
  first: number;
  last: number;
};

/**
 * The visitors (or sessions) an overview or breakdown figure counts, keyset-paged by key: the
 * same keys as `count(DISTINCT …)` in the raw scan, so the pages add up to the figure.
 */
export async function people(db: D1Database, projectId: string, f: Filters, q: z.infer<typeof peopleQuerySchema>) {
  const { where } = narrowed(projectId, f, q);
  const key = q.metric === "sessions" ? S : V;
  const after = q.cursor ? decodeCursor(q.cursor, "string")[0] : null;
  const [total, page] = await db.batch<Record<string, unknown>>([
    db.prepare(`SELECT count(DISTINCT ${key}) AS n FROM events e WHERE ${where.sql}`).bind(...where.params),
    db
      .prepare(`SELECT ${key} AS k, max(${V}) AS visitor, ${q.metric === "sessions" ? `${S}` : "NULL"} AS session, max(e.person_id) AS person_id,
        ${KIND} AS kind, count(*) AS events, min(e.timestamp) AS first, max(e.timestamp) AS last
      FROM events e WHERE ${where.sql} AND ${key} IS NOT NULL${after === null ? "" : ` AND ${key} > ?`}
      GROUP BY 1 ORDER BY 1 LIMIT ?`)
      .bind(...where.params, ...(after === null ? [] : [after]), q.limit + 1),
  ]);
  const rows = page.results as (PeopleRow & { k: string })[];
  const shown = rows.slice(0, q.limit);
  const out: PersonRow[] = shown.map((r) => ({
    visitor: r.visitor,
    session: r.session,
    person_id: r.person_id,
    timeline: timelineRef(r.visitor, r.kind),
    events: r.events,
    first_seen: new Date(r.first).toISOString(),
    last_seen: new Date(r.last).toISOString(),
  }));
  const next = rows.length > q.limit ? encodeCursor([shown.at(-1)!.k]) : null;
  return { metric: q.metric, total: (total.results[0]?.n as number) ?? 0, people: out, next_cursor: next };
}

/** The events an events or page-views figure counts, newest first, keyset-paged on (timestamp, event_id). */
export async function events(db: D1Database, projectId: string, f: Filters, q: z.infer<typeof eventsQuerySchema>) {
  const extra: Sql[] = q.metric === "pageviews" ? [{ sql: "e.event_name = 'page_view'", params: [] }] : [];
  const { where } = narrowed(projectId, f, q, extra);
  const cursor = q.cursor ? decodeCursor(q.cursor, "number", "string") : null;
  const [total, page] = await db.batch<Record<string, unknown>>([
    db.prepare(`SELECT count(*) AS n FROM events e WHERE ${where.sql}`).bind(...where.params),
    db
      .prepare(`SELECT e.* FROM events e WHERE ${where.sql}${cursor ? " AND (e.timestamp < ? OR (e.timestamp = ? AND e.event_id < ?))" : ""}
      ORDER BY e.timestamp DESC, e.event_id DESC LIMIT ?`)
      .bind(...where.params, ...(cursor ? [cursor[0], cursor[0], cursor[1]] : []), q.limit + 1),
  ]);
  const rows = page.results;
  const shown = rows.slice(0, q.limit);
  const last = shown.at(-1);
  const next = rows.length > q.limit && last ? encodeCursor([last.timestamp as number, last.event_id as string]) : null;
  return { total: (total.results[0]?.n as number) ?? 0, rows: shown, next_cursor: next };
}
