import { Hono, type Context } from "hono";
import { z } from "zod";
import { ApiError, badField, parseOr400 } from "../../lib/http";
import {
  breakdownSchema as breakdownResponseSchema,
  overviewSchema,
  type Breakdown,
  type Overview,
  type WhatsAppTraffic,
} from "../../contract";
import type { Project } from "../../lib/projects";
import { WEB_ONLY_DIMENSIONS } from "../dimensions";
import { figureChannel, onChannel } from "./channels";
import type { ApiEnv } from "../../lib/auth";
import { doc } from "../../lib/openapi";
import { dimensionSchema, filterQuerySchema, localBuckets, parseFilters, previousPeriod, type Filters } from "../../lib/filters";
import { rollupsCan, rollupsCanOverview } from "./can";
import { aeSource, type AeEnv } from "./analytics-engine";
import { rawSource } from "./raw-source";
import { rollupSource } from "./rollup-source";
import type { StatsSource, Totals } from "./types";

const MAX_BUCKETS = 1000;
const sourceSchema = z.object({ source: z.enum(["auto", "rollups", "raw", "ae"]).default("auto") }).loose();
const breakdownSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(10),
    /** Rows to skip: the `next_offset` of the previous page. */
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
  })
  .loose();

/** Picks the source: `auto` = rollups when they can answer exactly, else a raw scan. */
function pick(c: Context<ApiEnv>, f: Filters, view: "overview" | "breakdown"): { name: Overview["source"]; source: StatsSource } {
  const { source } = parseOr400(sourceSchema, c.req.query(), "query");
  const id = c.get("project").id;
  // Overviews are kept per value of the most used filters too; breakdowns only over all events.
  const can = view === "overview" ? rollupsCanOverview(f) : rollupsCan(f);
  if (source === "ae") return { name: "ae", source: aeSource(c.env as unknown as AeEnv, id) };
  if (source === "raw" || (source === "auto" && !can)) return { name: "raw", source: rawSource(c.env.DB, id) };
  if (!can)
    throw new ApiError(
      400,
      "rollups_unavailable",
      view === "overview"
        ? "rollups answer channel/include_bots and one of country, device_type, utm_source, utm_medium, utm_campaign, path, over 15-minute-aligned ranges; use source=raw"
        : "rollup breakdowns answer only channel/include_bots filters over 15-minute-aligned ranges; use source=raw",
    );
  return { name: "rollups", source: rollupSource(c.env, id) };
}

/** Relative change per key (0.25 = +25 %); null when there is no previous value to compare with. */
function change(cur: Totals, prev: Totals): Overview["change"] {
  return Object.fromEntries(
    (Object.keys(cur) as (keyof Totals)[]).map((k) => {
      const a = cur[k],
        b = prev[k];
      return [k, a == null || b == null || b === 0 ? null : Math.round(((a - b) / b) * 10_000) / 10_000];
    }),
  ) as Overview["change"];
}

/** The host of a referrer value (a URL, or a bare host), lowercase; null when it has none. */
export function referrerHost(value: string): string | null {
  try {
    return new URL(value.includes("://") ? value : `https://${value}`).host.toLowerCase() || null;
  } catch {
    return null;
  }
}

/**
 * True for a referrer from the project's own site: its `internal_hosts` and the hosts of its allowed
 * origins. Navigation inside the site is not a referral.
 */
export function internalReferrer(p: Project): (value: string) => boolean {
  const hosts = new Set([
    ...p.internalHosts,
    ...p.allowedOrigins
      .filter((o) => o !== "*")
      .map((o) => referrerHost(o))
      .filter((h): h is string => h !== null),
  ]);
  return (value) => {
    const host = referrerHost(value);
    return host !== null && (hosts.has(host) || hosts.has(host.replace(/:\d+$/, "")));
  };
}

/** Traffic totals, the previous period and a local-time series: GET /api/projects/:p/stats/… */
export const statsApi = new Hono<ApiEnv>();

const overviewDoc = doc({
  summary: "Traffic totals, the previous period and a series",
  description:
    "`source=auto` answers from rollups when they can answer exactly (channel/include_bots and at most one of country, device_type, utm_source, utm_medium, utm_campaign, path; 15-minute-aligned range), else from a raw scan.",
  tags: ["stats"],
  auth: "project",
  query: filterQuerySchema.extend(sourceSchema.shape),
  responses: { 200: { description: "totals, previous, change and series in local-time buckets", schema: overviewSchema } },
  errors: [
    "invalid_query",
    "invalid_range",
    "rollups_unavailable",
    "too_many_buckets",
    "unsupported_filter",
    "analytics_engine_not_configured",
    "analytics_engine_error",
  ],
});

const NO_WHATSAPP: WhatsAppTraffic = { contacts: 0, conversations: 0, events: 0 };

/** WhatsApp's contacts and conversations (a source's visitors and sessions on that channel); none when the filter asks for the web. */
async function whatsappTraffic(source: StatsSource, f: Filters): Promise<WhatsAppTraffic> {
  if (f.eq.channel_type === "web") return NO_WHATSAPP;
  const t = await source.totals(onChannel(f, "whatsapp"));
  return { contacts: t.visitors, conversations: t.sessions, events: t.events };
}

statsApi.get("/overview", overviewDoc, async (c) => {
  const query = parseFilters(c.req.query());
  // Visitors, sessions, duration and bounce are web figures: WhatsApp has contacts and conversations, reported apart.
  const f = figureChannel(query);
  const { name, source } = pick(c, f, "overview");
  const buckets = localBuckets(f.from, f.to, f.tz, f.interval);
  if (buckets.length > MAX_BUCKETS)
    throw new ApiError(
      400,
      "too_many_buckets",
      `${buckets.length} ${f.interval} buckets; at most ${MAX_BUCKETS}, choose a coarser interval`,
    );
  const [totals, previous, series, whatsapp, whatsapp_previous] = await Promise.all([
    source.totals(f),
    source.totals(previousPeriod(f)),
    source.series(f, buckets),
    whatsappTraffic(source, query),
    whatsappTraffic(source, previousPeriod(query)),
  ]);
  return c.json({
    totals,
    whatsapp,
    whatsapp_previous,
    previous,
    change: change(totals, previous),
    series,
    source: name,
    from: new Date(f.from).toISOString(),
    to: new Date(f.to).toISOString(),
    tz: f.tz,
    interval: f.interval,
  } satisfies Overview);
});

const breakdownDoc = doc({
  summary: "Top values of one dimension, a page at a time",
  description: "Rows ranked by visitors; `limit` rows from `offset`, and `next_offset` for the next page (null on the last).",
  tags: ["stats"],
  auth: "project",
  query: filterQuerySchema.extend({ ...sourceSchema.shape, ...breakdownSchema.shape, dimension: dimensionSchema }),
  responses: { 200: { description: "rows, largest first", schema: breakdownResponseSchema } },
  errors: [
    "invalid_query",
    "invalid_range",
    "invalid_dimension",
    "rollups_unavailable",
    "unsupported_filter",
    "unsupported_dimension",
    "analytics_engine_not_configured",
    "analytics_engine_error",
  ],
});

statsApi.get("/breakdown", breakdownDoc, async (c) => {
  const dimension = dimensionSchema.safeParse(c.req.query("dimension"));
  if (!dimension.success)
    throw badField("invalid_dimension", "dimension", `dimension must be one of ${dimensionSchema.options.join(", ")}`);
  const { limit, offset } = parseOr400(breakdownSchema, c.req.query(), "query");
  const query = parseFilters(c.req.query());
  const webOnly = WEB_ONLY_DIMENSIONS.has(dimension.data);
  // A dimension that does not apply to WhatsApp events is broken down over web events only: no `(none)` row for WhatsApp.
  const f = figureChannel(query, dimension.data);
  const { name, source } = pick(c, f, "breakdown");
  if (webOnly && f.eq.channel_type === "whatsapp")
    return c.json({ dimension: dimension.data, rows: [], source: name, next_offset: null } satisfies Breakdown);
  const exclude = dimension.data === "referrer" ? internalReferrer(c.get("project")) : undefined;
  // One row past the page tells whether another page follows.
  const rows = await source.breakdown(f, dimension.data, offset + limit + 1, exclude);
  const next_offset = rows.length > offset + limit ? offset + limit : null;
  return c.json({ dimension: dimension.data, rows: rows.slice(offset, offset + limit), source: name, next_offset } satisfies Breakdown);
});
