import { z } from "zod";
import { eventNameSchema } from "../../contract";
import { badField } from "../../lib/http";
import { DIMENSIONS, dimensionSchema, eventWhere, propKeySchema, type Dimension, type Filters } from "../../lib/filters";
import { runsJson, RUNS_CTE, keyed } from "./rollup-source";

/** Friendlier names the dashboard's filter bar may use for a dimension. */
const ALIASES: Record<string, Dimension> = { page: "path", event: "event_name", device: "device_type", channel: "channel_type" };

export const valuesQuerySchema = z
  .object({
    dimension: z
      .string()
      .min(1)
      .max(80)
      .describe("a filter dimension (path, referrer, utm_*, country, device_type, browser, event_name, …) or prop.<key>"),
    /** Only values starting with this (case-insensitive). */
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .loose();

export const propertyKeysQuerySchema = z
  .object({
    /** Only keys of this event's properties (the funnel builder's step event). */
    event: eventNameSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .loose();

/** A person's ids, suggested by the dashboard's people search (read from raw events only). */
const ID_COLUMNS = ["anonymous_id", "external_id", "user_id"] as const;
type IdColumn = (typeof ID_COLUMNS)[number];

export type ValueTarget = { kind: "dimension"; dimension: Dimension } | { kind: "prop"; key: string } | { kind: "id"; column: IdColumn };

/** The dimension asked for: a DIMENSIONS key, an alias of one, `prop.<key>` or a person id; 400 `invalid_dimension` otherwise. */
export function valueTarget(name: string): ValueTarget {
  if ((ID_COLUMNS as readonly string[]).includes(name)) return { kind: "id", column: name as IdColumn };
  if (name.startsWith("prop.")) {
    const key = propKeySchema.safeParse(name.slice(5));
    if (!key.success) throw badField("invalid_dimension", "dimension", `${name}: ${key.error.issues[0].message}`);
    return { kind: "prop", key: key.data };
  }
  const d = dimensionSchema.safeParse(ALIASES[name] ?? name);
  if (!d.success)
    throw badField(
      "invalid_dimension",
      "dimension",
      `dimension must be prop.<key>, a person id (${ID_COLUMNS.join(", ")}) or one of ${dimensionSchema.options.join(", ")}`,
    );
  return { kind: "dimension", dimension: d.data };
}

const like = (q: string) => q.replace(/[\\%_]/g, (ch) => "\\" + ch) + "%";

type Row = { value: string; events: number };

/** Top values of a dimension from the rollups (only channel/bot filters may be set): a few rows per value. */
export async function rollupValues(
  db: D1Database,
  projectId: string,
  f: Filters,
  dimension: Dimension,
  q: string | undefined,
  limit: number,
) {
  const k = keyed(f);
  const prefix = q ? " AND c.value LIKE ? ESCAPE '\\'" : "";
  const { results } = await db
    .prepare(`WITH ${RUNS_CTE} SELECT c.value, sum(c.events) AS events FROM r JOIN rollup_counts c
      ON c.project_id = ? AND c.dimension = ? AND c.grain = r.grain AND c.bucket >= r.lo AND c.bucket < r.hi${k.sql}
      WHERE c.value != ''${prefix} GROUP BY c.value HAVING sum(c.events) > 0 ORDER BY events DESC, c.value ASC LIMIT ?`)
    .bind(runsJson([[f.from, f.to]]), projectId, dimension, ...k.params, ...(q ? [like(q)] : []), limit)
    .all<Row>();
  return results;
}

/** Top values by a time-bounded scan of events: any filters, and property values. */
export async function rawValues(db: D1Database, projectId: string, f: Filters, target: ValueTarget, q: string | undefined, limit: number) {
  const w = eventWhere(projectId, f, { alias: "e" });
  const expr =
    target.kind === "dimension"
      ? `e.${DIMENSIONS[target.dimension]}`
      : target.kind === "id"
        ? `e.${target.column}`
        : `CAST(json_extract(e.properties, ?) AS TEXT)`;
  const exprParams = target.kind === "prop" ? [`$."${target.key}"`] : [];
  const { results } = await db
    .prepare(`SELECT ${expr} AS value, count(*) AS events FROM events e WHERE ${w.sql} AND value IS NOT NULL AND value != ''${q ? " AND value LIKE ? ESCAPE '\\'" : ""}
      GROUP BY 1 ORDER BY events DESC, value ASC LIMIT ?`)
    .bind(...exprParams, ...w.params, ...(q ? [like(q)] : []), limit)
    .all<Row>();
  return results;
}

/** How many of the range's latest events (of the name, when given) property-key suggestions read. */
export const PROPERTY_KEYS_SAMPLE = 5000;

/** Property keys on the range's latest PROPERTY_KEYS_SAMPLE events (of one event name, when given), most used among them first. */
export async function propertyKeys(db: D1Database, projectId: string, f: Filters, event: string | undefined, limit: number) {
  const w = eventWhere(projectId, f, { alias: "e" });
  // The latest events only: suggestions need the keys in use, not a count over every event of the range
  // (a raw scan of a 30-day range took seconds at a million events and held up the rest of the page).
  const { results } = await db
    .prepare(`WITH recent AS (SELECT e.properties FROM events e WHERE ${w.sql}${event ? " AND e.event_name = ?" : ""}
        ORDER BY e.timestamp DESC LIMIT ${PROPERTY_KEYS_SAMPLE})
      SELECT j.key AS key, count(*) AS events FROM recent r, json_each(r.properties) j
      WHERE json_valid(r.properties) AND j.type != 'object' AND j.type != 'array'
      GROUP BY 1 ORDER BY events DESC, key ASC LIMIT ?`)
    .bind(...w.params, ...(event ? [event] : []), limit)
    .all<{ key: string; events: number }>();
  // Only keys a filter or a funnel step can name.
  return results.filter((r) => propKeySchema.safeParse(r.key).success);
}
