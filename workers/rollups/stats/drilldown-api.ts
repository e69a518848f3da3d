import { Hono } from "hono";
import {
  botShareSchema,
  propertyKeysSchema,
  statsEventsSchema,
  statsPeopleSchema,
  statsValuesSchema,
  type BotShare,
  type PropertyKeys,
  type StatsEvents,
  type StatsPeople,
  type StatsValues,
} from "../../contract";
import type { ApiEnv } from "../../lib/auth";
import { parseOr400 } from "../../lib/http";
import { doc } from "../../lib/openapi";
import { filterQuerySchema, parseFilters } from "../../lib/filters";
import { figureChannel } from "./channels";
import { eventRow } from "../../lib/rows";
import { rollupsCan } from "./can";
import { events, eventsQuerySchema, people, peopleQuerySchema } from "./drilldown";
import { propertyKeys, propertyKeysQuerySchema, rawValues, rollupValues, valueTarget, valuesQuerySchema } from "./values";

/** The lists behind the dashboard's figures, and the values its filter bar suggests: GET /api/projects/:p/stats/… */
export const drilldownApi = new Hono<ApiEnv>();

const NARROW_ERRORS = ["invalid_query", "invalid_range", "invalid_cursor"] as const;

const peopleDoc = doc({
  summary: "The visitors (or sessions) behind a figure",
  description:
    "Filtered exactly as the figure: the shared filters, optionally one series `bucket` (its label) and one breakdown value " +
    "(`dimension` + `value`; no `value` = the null row). `metric=sessions` lists sessions. `total` equals the figure; " +
    "each row names the person and how to open their timeline.",
  tags: ["stats"],
  auth: "project",
  query: filterQuerySchema.extend(peopleQuerySchema.shape),
  responses: { 200: { description: "a page of visitors or sessions, and the cursor of the next", schema: statsPeopleSchema } },
  errors: [...NARROW_ERRORS],
});

drilldownApi.get("/people", peopleDoc, async (c) => {
  const q = parseOr400(peopleQuerySchema, c.req.query(), "query");
  const f = figureChannel(parseFilters(c.req.query()), q.dimension);
  return c.json((await people(c.env.DB, c.get("project").id, f, q)) satisfies StatsPeople);
});

const eventsDoc = doc({
  summary: "The events behind an events or page-views figure",
  description: "Filtered as `/stats/people`; `metric=pageviews` keeps page views only. Newest first; `total` equals the figure.",
  tags: ["stats"],
  auth: "project",
  query: filterQuerySchema.extend(eventsQuerySchema.shape),
  responses: { 200: { description: "a page of events, and the cursor of the next", schema: statsEventsSchema } },
  errors: [...NARROW_ERRORS],
});

drilldownApi.get("/events", eventsDoc, async (c) => {
  const q = parseOr400(eventsQuerySchema, c.req.query(), "query");
  const f = figureChannel(parseFilters(c.req.query()), q.dimension);
  const r = await events(c.env.DB, c.get("project").id, f, q);
  return c.json({ total: r.total, events: r.rows.map(eventRow), next_cursor: r.next_cursor } as StatsEvents);
});

const valuesDoc = doc({
  summary: "Suggested values of a filter dimension",
  description:
    "The most frequent values in the range (default: the last 7 days), optionally starting with `q`. From rollups when only channel/include_bots filters are set.",
  tags: ["stats"],
  auth: "project",
  query: filterQuerySchema.extend(valuesQuerySchema.shape),
  responses: { 200: { description: "values, most frequent first", schema: statsValuesSchema } },
  errors: ["invalid_query", "invalid_range", "invalid_dimension"],
});

drilldownApi.get("/values", valuesDoc, async (c) => {
  const q = parseOr400(valuesQuerySchema, c.req.query(), "query");
  const target = valueTarget(q.dimension);
  const f = parseFilters(c.req.query());
  const id = c.get("project").id;
  const fromRollups = target.kind === "dimension" && rollupsCan(f);
  const values = fromRollups
    ? await rollupValues(c.env.DB, id, f, target.dimension, q.q, q.limit)
    : await rawValues(c.env.DB, id, f, target, q.q, q.limit);
  return c.json({ dimension: q.dimension, values, source: fromRollups ? "rollups" : "raw" } satisfies StatsValues);
});

const keysDoc = doc({
  summary: "Suggested property keys (for filters and funnel steps)",
  description: "Keys of the range's event properties (of one `event` name when given), most used first.",
  tags: ["stats"],
  auth: "project",
  query: filterQuerySchema.extend(propertyKeysQuerySchema.shape),
  responses: { 200: { description: "keys, most used first", schema: propertyKeysSchema } },
  errors: ["invalid_query", "invalid_range"],
});

drilldownApi.get("/property-keys", keysDoc, async (c) => {
  const q = parseOr400(propertyKeysQuerySchema, c.req.query(), "query");
  const f = parseFilters(c.req.query());
  const keys = await propertyKeys(c.env.DB, c.get("project").id, f, q.event, q.limit);
  return c.json({ event: q.event ?? null, keys } satisfies PropertyKeys);
});

const botsDoc = doc({
  summary: "How many of the range's events are flagged as bots",
  description: "Every event of the project in the range (both channels; other filters ignored) and those flagged `is_bot`.",
  tags: ["stats"],
  auth: "project",
  query: filterQuerySchema,
  responses: { 200: { description: "events, bot events and their share", schema: botShareSchema } },
  errors: ["invalid_query", "invalid_range"],
});

drilldownApi.get("/bots", botsDoc, async (c) => {
  const f = parseFilters(c.req.query());
  const row = await c.env.DB.prepare(
    "SELECT count(*) AS n, coalesce(sum(is_bot), 0) AS bots FROM events WHERE project_id = ? AND timestamp >= ? AND timestamp < ?",
  )
    .bind(c.get("project").id, f.from, f.to)
    .first<{ n: number; bots: number }>();
  const n = row?.n ?? 0;
  const bots = row?.bots ?? 0;
  return c.json({ events: n, bot_events: bots, bot_share: n ? Math.round((bots / n) * 10_000) / 10_000 : null } satisfies BotShare);
});
