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
 * Step k (k ≥ 1) for the people who reached step k − 1 (`f<k-1>`: person, the time they reached
 * it, their entry time t0): only their own events of the step, at or after that time and within
 * the window of their entry — one seek per person in events_project_person_name_time, instead of
 * reading every event of the step in the range and keeping those of entrants.
 */
function laterStep(projectId: string, step: Step, f: Filters, k: number, windowMs: number): Sql {
  const parts = ["e.project_id = ?", "e.person_id = p.person", "e.event_name = ?", "e.timestamp >= p.ts", "e.timestamp <= p.t0 + ?"];
  const params: unknown[] = [projectId, step.event, windowMs];
  if (!f.includeBots) parts.push("e.is_bot = 0");
  stepConditions(step, parts, params);
  return {
    sql: `SELECT p.person AS person, e.timestamp AS ts, p.t0 AS t0 FROM f${k - 1} p JOIN events e INDEXED BY ${STEP_INDEX} ON ${parts.join(" AND ")}`,
    params,
  };
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
type Row = { ts: number; step: number };

// One row per person who entered; past this many, ask for a narrower range.
const MAX_PEOPLE = 500_000;

/**
 * One path per person who entered: the time of their FIRST step-1 event in the range, then for each
 * next step the earliest matching event at or after the previous step, all within the window of
 * step 1. SQL reads step 1 from the covering (event, path, time) index, then walks the steps: for
 * the people who reached step k − 1 (`f<k-1>`, with the time they reached it) it seeks their own
 * events of step k in the per-person index, so each step reads only candidates. Each person's step
 * events come back as one "step:ts,…" list; here each list is put in time order and chained in one
 * linear pass (the same earliest-match rule, so the SQL's pruning never changes an answer).
 */
export async function personPaths(db: D1Database, projectId: string, def: FunnelDefinition, f: Filters): Promise<PersonPath[]> {
  const windowMs = def.window * 1000;
  const entry = entryEvents(projectId, def.steps[0], f, def.breakdown);
  const paths = anyPath(def.steps[0], f) ? [distinctPaths(projectId, def.steps[0].event)] : [];
  const later = def.steps.slice(1).map((step, i) => laterStep(projectId, step, f, i + 1, windowMs));
  const last = def.steps.length - 1;
  const ctes = [
    ...paths.map((p) => p.sql),
    // Only a person's first step-1 event enters them (SQLite takes `bd` from the row of the min).
    `f0 AS MATERIALIZED (SELECT person, min(ts) AS ts, min(ts) AS t0${def.breakdown ? ", bd" : ""} FROM (${entry.sql}) GROUP BY person)`,
    ...later.flatMap((s, i) => {
      const k = i + 1;
      const rows = `e${k} AS MATERIALIZED (${s.sql})`;
      // Who reached step k, and when (their earliest step-k event after step k − 1): the next step's drivers.
      return k === last ? [rows] : [rows, `f${k} AS MATERIALIZED (SELECT person, min(ts) AS ts, max(t0) AS t0 FROM e${k} GROUP BY person)`];
    }),
  ];
  const stepRows = [
    `SELECT person, ts, 0 AS step, ${def.breakdown ? "bd" : "NULL AS bd"} FROM f0`,
    ...later.map((_, i) => `SELECT person, ts, ${i + 1}, NULL FROM e${i + 1}`),
  ];
  const query = packParams({
    sql: `WITH RECURSIVE ${ctes.join(",\n")}
    SELECT max(bd), group_concat(step || ':' || ts), person FROM (${unionAll(stepRows)}) GROUP BY person LIMIT ?`,
    params: [...paths.flatMap((p) => p.params), ...entry.params, ...later.flatMap((s) => s.params), MAX_PEOPLE + 1],
  });
  // Rows as arrays: tens of thousands of them cross from D1, and none needs its column names.
  const results = await db
    .prepare(query.sql)
    .bind(...query.params)
    .raw<[string | null, string, string]>();
  if (results.length > MAX_PEOPLE) throw new ApiError(400, "funnel_too_large", "over 500,000 people entered: narrow the range or add filters");
  const out: PersonPath[] = [];
  for (const [bd, list, person] of results) {
    const rows = list.split(",").map((x): Row => {
      const at = x.indexOf(":");
      return { step: +x.slice(0, at), ts: +x.slice(at + 1) };
    });
    const path = chain(rows.sort((a, b) => a.ts - b.ts || a.step - b.step), def.steps.length, windowMs);
    if (path) out.push({ bd: def.breakdown ? bd || null : null, times: path, person });
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
