import { z } from "zod";
import { CHANNELS, eventNameSchema } from "../../contract";
import { badField, parseOr400 } from "../http";
import { INTERVALS, isTimeZone, localBuckets, localMidnight, type Interval } from "./timezone";

/**
 * Dimensions an event can be filtered and broken down by: logical name → `events` column.
 * The only column names that ever reach SQL text come from this map.
 */
export const DIMENSIONS = {
  path: "path",
  referrer: "referrer",
  utm_source: "utm_source",
  utm_medium: "utm_medium",
  utm_campaign: "utm_campaign",
  utm_term: "utm_term",
  utm_content: "utm_content",
  country: "country",
  region: "region",
  city: "city",
  device_type: "device_type",
  browser: "browser",
  os: "os",
  event_name: "event_name",
  channel_type: "channel_type",
} as const;
export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];
export const dimensionSchema = z.enum(DIMENSION_NAMES as [Dimension, ...Dimension[]]);

/** Property keys usable in `prop.<key>=` and funnel `where`: safe inside a quoted JSON path. */
export const propKeySchema = z.string().regex(/^[A-Za-z0-9_$:-]{1,64}$/, "property keys: letters, digits and _ $ : -");

const dateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const value = z.string().min(1).max(2048);
const MAX_RANGE_DAYS = 400;

/** The query string every stats/funnel/export/metrics endpoint accepts (besides `prop.<key>`). */
export const filterQuerySchema = z
  .object({
    from: dateOrTime.optional(),
    to: dateOrTime.optional(),
    tz: z.string().max(64).refine(isTimeZone, "tz must be an IANA time zone, e.g. Africa/Nairobi").default("UTC"),
    interval: z.enum(INTERVALS).default("day"),
    channel: z.enum(CHANNELS).optional(),
    include_bots: z.enum(["true", "false", "1", "0"]).optional(),
    ...Object.fromEntries(DIMENSION_NAMES.filter((d) => d !== "channel_type").map((d) => [d, value.optional()])),
    event_name: eventNameSchema.optional(),
  })
  .loose();

export type Filters = {
  /** Range [from, to) in epoch ms. */
  from: number;
  to: number;
  tz: string;
  interval: Interval;
  includeBots: boolean;
  /** Equality filters on whitelisted dimensions (`channel` is stored as `channel_type`). */
  eq: Partial<Record<Dimension, string>>;
  /** Equality filters on `properties.<key>`. */
  props: Record<string, string>;
};

/**
 * Dates are local days in `tz`: `from=2026-11-01` is local midnight and a date-only `to` is
 * inclusive (up to the next local midnight); full ISO datetimes are exact instants, `to` exclusive.
 * Defaults: the last 7 days up to now (rounded up to the next 15 minutes).
 */
function instant(v: string, tz: string, end: boolean): number {
  if (v.length > 10) return Date.parse(v);
  const t = localMidnight(v, tz);
  return end ? localMidnight(new Date(Date.parse(v) + 86_400_000).toISOString().slice(0, 10), tz) : t;
}

/** Parses a query-string record into `Filters`; throws a 400 ApiError naming what was wrong. */
export function parseFilters(query: Record<string, string>, now = Date.now()): Filters {
  const q = parseOr400(filterQuerySchema, query, "query") as Record<string, string | undefined> & { tz: string; interval: Interval };
  // The default end is rounded up to a 15-minute boundary so rollup buckets answer it exactly.
  const to = q.to ? instant(q.to, q.tz, true) : Math.ceil(now / 900_000) * 900_000;
  const from = q.from ? instant(q.from, q.tz, false) : to - 7 * 86_400_000;
  if (!(from < to)) throw badField("invalid_range", "from", "from must be before to");
  if (to - from > MAX_RANGE_DAYS * 86_400_000) throw badField("invalid_range", "to", `range may span at most ${MAX_RANGE_DAYS} days`);
  const eq: Filters["eq"] = {};
  for (const d of DIMENSION_NAMES) if (q[d]) eq[d] = q[d];
  if (q.channel) eq.channel_type = q.channel;
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (!k.startsWith("prop.")) continue;
    const key = propKeySchema.safeParse(k.slice(5));
    if (!key.success) throw badField("invalid_query", k, `${k}: ${key.error.issues[0].message}`);
    props[key.data] = v;
  }
  return { from, to, tz: q.tz, interval: q.interval, includeBots: q.include_bots === "true" || q.include_bots === "1", eq, props };
}

/** The period of equal length just before `f` (for "compared with the previous period"). */
export function previousPeriod(f: Filters): Filters {
  return { ...f, from: f.from - (f.to - f.from), to: f.from };
}

/**
 * The filters narrowed to one local bucket of `f.interval` in `f.tz`, named by its label as a series
 * shows it (`2026-11-20`, `2026-11-20T13:00`), so a clicked chart point lists exactly what it counts.
 * 400 `invalid_query` when the range has no such bucket.
 */
export function inBucket(f: Filters, label: string): Filters {
  const b = localBuckets(f.from, f.to, f.tz, f.interval).find((x) => x.label === label);
  if (!b) throw badField("invalid_query", "bucket", `bucket "${label}" is not a ${f.interval} bucket of the range in ${f.tz}`);
  return { ...f, from: b.start, to: b.end };
}

/** True when the filters hold nothing but channel and bot choice (what rollups are keyed by). */
export function onlyChannelFilters(f: Filters): boolean {
  return Object.keys(f.props).length === 0 && Object.keys(f.eq).every((k) => k === "channel_type");
}
