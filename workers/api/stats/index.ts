import { Hono, type Context } from "hono";
import { z } from "zod";
import { ApiError, parseOr400 } from "../../lib/http";
import type { ApiEnv } from "../auth";
import { dimensionSchema, localBuckets, onlyChannelFilters, onQuarter, parseFilters, previousPeriod, type Filters } from "../filters";
import { aeSource, type AeEnv } from "./analytics-engine";
import { rawSource } from "./raw-source";
import { rollupSource } from "./rollup-source";
import type { StatsSource, Totals } from "./types";

const MAX_BUCKETS = 1000;
const sourceSchema = z.object({ source: z.enum(["auto", "rollups", "raw", "ae"]).default("auto") }).loose();
const breakdownSchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(10) }).loose();

/** True when rollups answer `f` exactly: channel/bot filters only, range on 15-minute boundaries. */
export const rollupsCan = (f: Filters) => onlyChannelFilters(f) && onQuarter(f.from) && onQuarter(f.to);

/** Picks the source: `auto` = rollups when they can answer exactly, else a raw scan. */
function pick(c: Context<ApiEnv>, f: Filters): { name: string; source: StatsSource } {
  const { source } = parseOr400(sourceSchema, c.req.query(), "query");
  const id = c.get("project").id;
  if (source === "ae") return { name: "ae", source: aeSource(c.env as unknown as AeEnv, id) };
  if (source === "raw" || (source === "auto" && !rollupsCan(f))) return { name: "raw", source: rawSource(c.env.DB, id) };
  if (!rollupsCan(f))
    throw new ApiError(400, "rollups_unavailable", "rollups answer only channel/include_bots filters over 15-minute-aligned ranges; use source=raw");
  return { name: "rollups", source: rollupSource(c.env, id) };
}

/** Relative change per key (0.25 = +25 %); null when there is no previous value to compare with. */
function change(cur: Totals, prev: Totals) {
  return Object.fromEntries(
    (Object.keys(cur) as (keyof Totals)[]).map((k) => {
      const a = cur[k], b = prev[k];
      return [k, a == null || b == null || b === 0 ? null : Math.round(((a - b) / b) * 10_000) / 10_000];
    }),
  );
}

/** Traffic totals, the previous period and a local-time series: GET /api/projects/:p/stats/… */
export const statsApi = new Hono<ApiEnv>();

statsApi.get("/overview", async (c) => {
  const f = parseFilters(c.req.query());
  const { name, source } = pick(c, f);
  const buckets = localBuckets(f.from, f.to, f.tz, f.interval);
  if (buckets.length > MAX_BUCKETS)
    throw new ApiError(400, "too_many_buckets", `${buckets.length} ${f.interval} buckets; at most ${MAX_BUCKETS}, choose a coarser interval`);
  const [totals, previous, series] = await Promise.all([source.totals(f), source.totals(previousPeriod(f)), source.series(f, buckets)]);
  return c.json({ totals, previous, change: change(totals, previous), series, source: name, from: new Date(f.from).toISOString(), to: new Date(f.to).toISOString(), tz: f.tz, interval: f.interval });
});

statsApi.get("/breakdown", async (c) => {
  const dimension = dimensionSchema.safeParse(c.req.query("dimension"));
  if (!dimension.success)
    throw new ApiError(400, "invalid_dimension", `dimension must be one of ${dimensionSchema.options.join(", ")}`);
  const { limit } = parseOr400(breakdownSchema, c.req.query(), "query");
  const f = parseFilters(c.req.query());
  const { name, source } = pick(c, f);
  return c.json({ dimension: dimension.data, rows: await source.breakdown(f, dimension.data, limit), source: name });
});
