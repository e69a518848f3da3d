import { ApiError } from "../../lib/http";
import { DIMENSIONS, eventWhere, propClause, type Dimension, type Filters, type Sql } from "../filters";
import type { FunnelDefinition, Step } from "./definition";

/**
 * Events of one step as (person, timestamp[, breakdown]), read from the covering index
 * events_project_name_path_time alone (the person is resolved at ingest: events.person_id): no
 * table row is fetched unless a request filter or the breakdown names a column the index lacks.
 * The request filters select who ENTERS (step 1 only), so a `channel=web` filter does not hide
 * the WhatsApp steps of a cross-channel funnel.
 */
function stepEvents(projectId: string, step: Step, f: Filters, i: number, windowMs: number, breakdown?: Dimension): Sql {
  const base = i === 0
    ? eventWhere(projectId, f, { alias: "e" })
    : eventWhere(projectId, { ...f, eq: {}, props: {}, to: f.to + windowMs }, { alias: "e" });
  const parts = [base.sql, "e.event_name = ?"];
  const params = [...base.params, step.event];
  if (step.channel) parts.push("e.channel_type = ?"), params.push(step.channel);
  if (step.path) parts.push("e.path = ?"), params.push(step.path);
  for (const [k, v] of Object.entries(step.where ?? {})) {
    const p = propClause("e.properties", k, v);
    parts.push(p.sql), params.push(...p.params);
  }
  const bd = breakdown ? `, coalesce(e.${DIMENSIONS[breakdown]}, '') AS bd` : "";
  const select = `SELECT e.person_id AS person, e.timestamp AS ts${bd} FROM events e WHERE ${parts.join(" AND ")}`;
  if (!anyPath(step, f, i)) return { sql: select, params };
  // The index leads with (event, path) so a page's views are one range; a step on any path reads
  // one time range per distinct path of its event (p<i>, below) plus the events without a path.
  return { sql: `${select} AND e.path IN (SELECT path FROM p${i}) UNION ALL ${select} AND e.path IS NULL`, params: [...params, ...params] };
}

/** True when a step matches events on every path (neither the step nor, on entry, the filters name one). */
const anyPath = (step: Step, f: Filters, i: number) => !step.path && !(i === 0 && f.eq.path);

/** The distinct paths of an event, one index seek each (a loose index scan: SQLite has no skip scan without ANALYZE). */
function distinctPaths(projectId: string, event: string, i: number): Sql {
  return {
    sql: `p${i}(path) AS (SELECT min(path) FROM events WHERE project_id = ? AND event_name = ?
      UNION ALL SELECT (SELECT min(path) FROM events WHERE project_id = ? AND event_name = ? AND path > p.path) FROM p${i} p WHERE p.path IS NOT NULL)`,
    params: [projectId, event, projectId, event],
  };
}

export type PersonPath = { bd: string | null; times: (number | null)[] };
type Row = { ts: number; step: number };

// One row per person who entered; past this many, ask for a narrower range.
const MAX_PEOPLE = 500_000;

/**
 * One path per person who entered: the time of their FIRST step-1 event in the range, then for each
 * next step the earliest matching event at or after the previous step, all within the window of
 * step 1. SQL reads each step from the covering index, keeps only the events of people who have an
 * event of the step before (nobody reaches step k without one), and hands over each person's step
 * events as one "step:ts,…" list; here each list is put in time order and chained in one linear
 * pass. (SQLite cannot chain as cheaply: a join on person between the steps has no index to use.)
 */
export async function personPaths(db: D1Database, projectId: string, def: FunnelDefinition, f: Filters): Promise<PersonPath[]> {
  const windowMs = def.window * 1000;
  const steps = def.steps.map((step, i) => stepEvents(projectId, step, f, i, windowMs, i === 0 ? def.breakdown : undefined));
  const paths = def.steps.flatMap((step, i) => (anyPath(step, f, i) ? [distinctPaths(projectId, step.event, i)] : []));
  const ctes = [
    ...paths.map((p) => p.sql),
    // Only a person's first step-1 event enters them (SQLite takes `bd` from the row of the min).
    `e0 AS MATERIALIZED (SELECT person, min(ts) AS ts${def.breakdown ? ", bd" : ""} FROM (${steps[0].sql}) GROUP BY person)`,
    ...steps.slice(1).map((s, k) => `e${k + 1} AS MATERIALIZED (SELECT person, ts FROM (${s.sql}) WHERE person IN (SELECT person FROM e${k}))`),
  ];
  const sql = `WITH RECURSIVE ${ctes.join(",\n")}
    SELECT max(bd), group_concat(step || ':' || ts) FROM (
      SELECT person, ts, 0 AS step, ${def.breakdown ? "bd" : "NULL AS bd"} FROM e0
      ${steps.slice(1).map((_, k) => `UNION ALL SELECT person, ts, ${k + 1}, NULL FROM e${k + 1}`).join("\n")}
    ) GROUP BY person LIMIT ?`;
  // Rows as arrays: tens of thousands of them cross from D1, and none needs its column names.
  const results = await db
    .prepare(sql)
    .bind(...paths.flatMap((p) => p.params), ...steps.flatMap((s) => s.params), MAX_PEOPLE + 1)
    .raw<[string | null, string]>();
  if (results.length > MAX_PEOPLE) throw new ApiError(400, "funnel_too_large", "over 500,000 people entered: narrow the range or add filters");
  const out: PersonPath[] = [];
  for (const [bd, list] of results) {
    const rows = list.split(",").map((x): Row => {
      const at = x.indexOf(":");
      return { step: +x.slice(0, at), ts: +x.slice(at + 1) };
    });
    const path = chain(rows.sort((a, b) => a.ts - b.ts || a.step - b.step), def.steps.length, windowMs);
    if (path) out.push({ bd: def.breakdown ? bd || null : null, times: path });
  }
  return out;
}

/** One person's time-ordered step events → the time they reached each step (null: not reached). */
function chain(rows: Row[], steps: number, windowMs: number): (number | null)[] | null {
  const entry = rows.find((r) => r.step === 0);
  if (!entry) return null;
  const times: (number | null)[] = [entry.ts];
  // Rows are in time order, so each step's search resumes where the previous step matched.
  let at = rows.indexOf(entry);
  for (let s = 1; s < steps; s++) {
    while (at < rows.length && rows[at].step !== s && rows[at].ts <= entry.ts + windowMs) at++;
    if (at === rows.length || rows[at].ts > entry.ts + windowMs) break;
    times.push(rows[at].ts);
  }
  while (times.length < steps) times.push(null);
  return times;
}
