import { ApiError } from "../lib/http";
import { DIMENSIONS, eventWhere, propClause, type Dimension, type Filters, type Sql } from "../lib/filters";
import { packParams, unionAll } from "../lib/sql";
import type { FunnelDefinition, Step } from "./definition";

const ENTRY_INDEX = "events_project_name_path_time";
const STEP_INDEX = "events_project_person_name_time";

/**
 * Step-1 events as (person, timestamp[, breakdown]), read from the covering index
 * events_project_name_path_time alone (the person is resolved at ingest: events.person_id): no
 * table row is fetched unless a request filter or the breakdown names a column the index lacks.
 * The request filters select who ENTERS (step 1 only), so a `channel=web` filter does not hide
 * the WhatsApp steps of a cross-channel funnel. The index is named: without ANALYZE statistics
 * SQLite would rather walk the per-person index in person order for the GROUP BY.
 */
function entryEvents(projectId: string, step: Step, f: Filters, breakdown?: Dimension): Sql {
  const base = eventWhere(projectId, f, { alias: "e" });
  const parts = [base.sql, "e.event_name = ?"];
  const params = [...base.params, step.event];
  stepConditions(step, parts, params);
  const bd = breakdown ? `, coalesce(e.${DIMENSIONS[breakdown]}, '') AS bd` : "";
  const select = `SELECT e.person_id AS person, e.timestamp AS ts${bd} FROM events e INDEXED BY ${ENTRY_INDEX} WHERE ${parts.join(" AND ")}`;
  if (!anyPath(step, f)) return { sql: select, params };
  // The index leads with (event, path) so a page's views are one range; a step on any path reads
  // one time range per distinct path of its event (p0, below) plus the events without a path.
  return { sql: `${select} AND e.path IN (SELECT path FROM p0) UNION ALL ${select} AND e.path IS NULL`, params: [...params, ...params] };
}

/** A step's own channel, path and `where` conditions on `events e`. */
function stepConditions(step: Step, parts: string[], params: unknown[]): void {
  if (step.channel) parts.push("e.channel_type = ?"), params.push(step.channel);
  if (step.path) parts.push("e.path = ?"), params.push(step.path);
  for (const [k, v] of Object.entries(step.where ?? {})) {
    const p = propClause("e.properties", k, v);
    parts.push(p.sql), params.push(...p.params);
  }
}

/**
 * Step k (k ≥ 1) as a column `t<k>`: for each person who reached step k − 1 (`f<k-1>`, with the time
 * `t<k-1>` they reached it and their entry time t0), the time of their EARLIEST own event of the step
 * at or after t<k-1> and within the window of t0 — one seek per person in the covering index
 * events_project_person_name_time (properties included: a `where` fetches no table row); null when
 * there is none (or the person stopped before).
 */
function laterStep(projectId: string, step: Step, f: Filters, k: number, windowMs: number): Sql {
  const parts = ["e.project_id = ?", "e.person_id = p.person", "e.event_name = ?", `e.timestamp >= p.t${k - 1}`, "e.timestamp <= p.t0 + ?"];
  const params: unknown[] = [projectId, step.event, windowMs];
  if (!f.includeBots) parts.push("e.is_bot = 0");
  stepConditions(step, parts, params);
  const first = `(SELECT min(e.timestamp) FROM events e INDEXED BY ${STEP_INDEX} WHERE ${parts.join(" AND ")})`;
  return { sql: `SELECT p.*, CASE WHEN p.t${k - 1} IS NOT NULL THEN ${first} END AS t${k} FROM f${k - 1} p`, params };
}

/** True when step 1 matches events on every path (neither the step nor the filters name one). */
const anyPath = (step: Step, f: Filters) => !step.path && !f.eq.path;

/** The distinct paths of an event, one index seek each (a loose index scan: SQLite has no skip scan without ANALYZE). */
function distinctPaths(projectId: string, event: string): Sql {
  return {
    sql: `p0(path) AS (SELECT min(path) FROM events WHERE project_id = ? AND event_name = ?
      UNION ALL SELECT (SELECT min(path) FROM events WHERE project_id = ? AND event_name = ? AND path > p.path) FROM p0 p WHERE p.path IS NOT NULL)`,
    params: [projectId, event, projectId, event],
  };
}

export type PersonPath = { bd: string | null; times: (number | null)[]; person: string };

// One row per person who entered; past this many, ask for a narrower range.
const MAX_PEOPLE = 500_000;

/** The paths' CTEs: f0 (entry) … f<last>, one row per entrant with bd, person and t0 … t<last>. */
function pathCtes(projectId: string, def: FunnelDefinition, f: Filters): Sql & { last: number } {
  const windowMs = def.window * 1000;
  const entry = entryEvents(projectId, def.steps[0], f, def.breakdown);
  const paths = anyPath(def.steps[0], f) ? [distinctPaths(projectId, def.steps[0].event)] : [];
  const later = def.steps.slice(1).map((step, i) => laterStep(projectId, step, f, i + 1, windowMs));
  const ctes = [
    ...paths.map((p) => p.sql),
    // Only a person's first step-1 event enters them (with one min(), SQLite takes `bd` from its row).
    `f0 AS MATERIALIZED (SELECT person, min(ts) AS t0, ${def.breakdown ? "bd" : "NULL AS bd"} FROM (${entry.sql}) GROUP BY person)`,
    ...later.map((s, i) => `f${i + 1} AS MATERIALIZED (${s.sql})`),
  ];
  return {
    sql: ctes.join(",\n"),
    params: [...paths.flatMap((p) => p.params), ...entry.params, ...later.flatMap((s) => s.params)],
    last: def.steps.length - 1,
  };
}

const stepTimes = (steps: number) => Array.from({ length: steps }, (_, k) => `t${k}`).join(", ");
const tooLarge = () => new ApiError(400, "funnel_too_large", "over 500,000 people entered: narrow the range or add filters");

/**
 * One path per person who entered: the time of their FIRST step-1 event in the range, then for each
 * next step the earliest matching event at or after the previous step, all within the window of
 * step 1. SQL reads step 1 from the covering (event, path, time) index, then walks the steps: each
 * step is one more column, the person's earliest event of that step after the step before, sought in
 * the per-person index. Each `f<k>` is materialized, so a step's time is computed once and read by
 * the next. SQLite returns the finished paths (entry, then one time or null per step).
 */
export async function personPaths(db: D1Database, projectId: string, def: FunnelDefinition, f: Filters): Promise<PersonPath[]> {
  const c = pathCtes(projectId, def, f);
  const query = packParams({
    sql: `WITH RECURSIVE ${c.sql}\nSELECT bd, person, ${stepTimes(def.steps.length)} FROM f${c.last} LIMIT ?`,
    params: [...c.params, MAX_PEOPLE + 1],
  });
  // Rows as arrays: tens of thousands of them cross from D1, and none needs its column names.
  const results = await db
    .prepare(query.sql)
    .bind(...query.params)
    .raw<[string | null, string, ...(number | null)[]]>();
  if (results.length > MAX_PEOPLE) throw tooLarge();
  return results.map(([bd, person, ...t]) => ({ bd: def.breakdown ? bd || null : null, times: t, person }));
}

/** A group of entrants (all of them, or one breakdown value): how many reached each step. */
export type GroupCounts = { bd: string | null; counts: number[] };
/** The middle one or two (ascending) of a group's times from step k − 1 to k, in ms. */
export type GroupMiddle = { bd: string | null; k: number; middle: number[] };
export interface FunnelAggregate {
  all: GroupCounts;
  middles: GroupMiddle[];
  /** Per breakdown value (when the definition has one), in no particular order. */
  groups: GroupCounts[];
  groupMiddles: GroupMiddle[];
}

/**
 * The funnel's figures computed in SQL over the same paths as `personPaths`, so only a few rows
 * cross from D1 instead of one per entrant: per group (everyone, and each breakdown value: `g` 0
 * and 1), how many reached each step, and for each step the middle one or two of the times from the
 * step before (row_number over the group's times in order), from which the median is taken exactly
 * as over the full list.
 */
export async function funnelAggregate(db: D1Database, projectId: string, def: FunnelDefinition, f: Filters): Promise<FunnelAggregate> {
  const c = pathCtes(projectId, def, f);
  const n = def.steps.length;
  const times = stepTimes(n);
  const groups = [`SELECT 0 AS g, NULL AS bd, ${times} FROM f${c.last}`];
  if (def.breakdown) groups.push(`SELECT 1, nullif(bd, ''), ${times} FROM f${c.last}`);
  const deltas = Array.from(
    { length: n - 1 },
    (_, i) => `SELECT g, bd, ${i + 1} AS k, t${i + 1} - t${i} AS d FROM grp WHERE t${i + 1} IS NOT NULL`,
  );
  const counts = Array.from({ length: n }, (_, k) => `count(t${k})`).join(", ");
  const query = packParams({
    sql: `WITH RECURSIVE ${c.sql},
grp AS MATERIALIZED (${groups.join(" UNION ALL ")}),
d AS (${unionAll(deltas)}),
m AS (SELECT g, bd, k, d, row_number() OVER (PARTITION BY g, bd, k ORDER BY d) AS rn, count(*) OVER (PARTITION BY g, bd, k) AS n FROM d)
SELECT 0, g, bd, NULL, json_array(${counts}) FROM grp GROUP BY g, bd
UNION ALL SELECT 1, g, bd, k, d FROM m WHERE rn IN ((n + 1) / 2, n / 2 + 1)`,
    params: c.params,
  });
  const rows = await db
    .prepare(query.sql)
    .bind(...query.params)
    .raw<[number, number, string | null, number | null, string | number]>();
  const out: FunnelAggregate = { all: { bd: null, counts: Array(n).fill(0) }, middles: [], groups: [], groupMiddles: [] };
  const middles = new Map<string, GroupMiddle>();
  for (const [kind, g, bd, k, v] of rows) {
    if (kind === 0) {
      const group = { bd, counts: JSON.parse(String(v)) as number[] };
      if (g === 0) out.all = group;
      else out.groups.push(group);
      continue;
    }
    const key = JSON.stringify([g, bd, k]);
    let m = middles.get(key);
    if (!m) middles.set(key, (m = { bd, k: k!, middle: [] })), (g === 0 ? out.middles : out.groupMiddles).push(m);
    m.middle.push(Number(v));
  }
  for (const m of middles.values()) m.middle.sort((a, b) => a - b);
  if (out.all.counts[0] > MAX_PEOPLE) throw tooLarge();
  return out;
}
