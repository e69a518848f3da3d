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
import { cover, GRAINS } from "../grains";
import { events, eventsQuerySchema, people, peopleQuerySchema } from "./drilldown";
import {
  PROPERTY_KEYS_SAMPLE,
  propertyKeys,
  propertyKeysQuerySchema,
  rawValues,
  rollupValues,
  valueTarget,
  valuesQuerySchema,
} from "./values";

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
  description: `Keys of the properties of the range's latest ${PROPERTY_KEYS_SAMPLE} events (of one \`event\` name when given), most used among them first: suggestions, not a census.`,
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

// The rollups' all-events rows (dimension '') hold every stored event per bucket, bots apart, so a
// range on 15-minute boundaries (every range the dashboard sends) is summed from them; any other
// range counts the raw events.
const BOTS_ROLLUP_SQL = `SELECT coalesce(sum(r.events), 0) AS n, coalesce(sum(CASE WHEN r.is_bot THEN r.events END), 0) AS bots
  FROM json_each(?2) c JOIN rollup_counts r ON r.project_id = ?1 AND r.dimension = '' AND r.grain = json_extract(c.value, '$[0]')
    AND r.bucket >= json_extract(c.value, '$[1]') AND r.bucket < json_extract(c.value, '$[2]')`;
const BOTS_RAW_SQL =
  "SELECT count(*) AS n, coalesce(sum(is_bot), 0) AS bots FROM events WHERE project_id = ?1 AND timestamp >= ?2 AND timestamp < ?3";

drilldownApi.get("/bots", botsDoc, async (c) => {
  const f = parseFilters(c.req.query());
  const project = c.get("project").id;
  const aligned = f.from % GRAINS[0] === 0 && f.to % GRAINS[0] === 0;
  const row = await (aligned
    ? c.env.DB.prepare(BOTS_ROLLUP_SQL).bind(project, JSON.stringify(cover(f.from, f.to).map((r) => [r.grain, r.lo, r.hi])))
    : c.env.DB.prepare(BOTS_RAW_SQL).bind(project, f.from, f.to)
  ).first<{ n: number; bots: number }>();
  const n = row?.n ?? 0;
  const bots = row?.bots ?? 0;
  return c.json({ events: n, bot_events: bots, bot_share: n ? Math.round((bots / n) * 10_000) / 10_000 : null } satisfies BotShare);
});
