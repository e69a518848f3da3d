import { ApiError } from "../../lib/http";
import { DIMENSIONS, eventWhere, propClause, type Dimension, type Filters, type Sql } from "../filters";
import type { FunnelDefinition, Step } from "./definition";

/** The person an event belongs to, through identity links (COMMON data model): one id per journey. */
const PERSON = `coalesce(ia.person_id, ix.person_id, iu.person_id, 'a:' || e.anonymous_id, 'x:' || e.external_id, 'u:' || e.user_id)`;
const IDENTITY_JOINS = `
  LEFT JOIN identities ia ON ia.project_id = e.project_id AND ia.kind = 'anonymous_id' AND ia.value = e.anonymous_id
  LEFT JOIN identities ix ON ix.project_id = e.project_id AND ix.kind = 'external_id' AND ix.value = e.external_id
  LEFT JOIN identities iu ON iu.project_id = e.project_id AND iu.kind = 'user_id' AND iu.value = e.user_id`;

/**
 * Events of one step as (person, timestamp[, breakdown]): an indexed, time-bounded read on
 * (project_id, event_name, timestamp). The request filters select who ENTERS (step 1 only), so a
 * `channel=web` filter does not hide the WhatsApp steps of a cross-channel funnel.
 */
function stepEvents(projectId: string, step: Step, f: Filters, first: boolean, windowMs: number, breakdown?: Dimension): Sql {
  const base = first
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
  return { sql: `SELECT ${PERSON} AS person, e.timestamp AS ts${bd} FROM events e ${IDENTITY_JOINS} WHERE ${parts.join(" AND ")}`, params };
}

export type PersonPath = { bd: string | null; times: (number | null)[] };

// A funnel reads every step event of its range once; past this many, ask for a narrower range.
const MAX_ROWS = 500_000;

/**
 * One path per person who entered: the time of their FIRST step-1 event in the range, then for each
 * next step the earliest matching event at or after the previous step, all within the window of
 * step 1. SQL reads each step with its index and tags it; only people who entered come back, sorted
 * by (person, time), and the chaining is one linear pass here. (Chaining in SQL joins on the computed
 * person key, which SQLite can only nest-loop: quadratic in the step sizes.)
 */
export async function personPaths(db: D1Database, projectId: string, def: FunnelDefinition, f: Filters): Promise<PersonPath[]> {
  const windowMs = def.window * 1000;
  const [first, ...rest] = def.steps.map((step, i) => stepEvents(projectId, step, f, i === 0, windowMs, i === 0 ? def.breakdown : undefined));
  const sql = `WITH e0 AS MATERIALIZED (${first.sql})
    SELECT person, ts, 0 AS step, ${def.breakdown ? "bd" : "NULL AS bd"} FROM e0
    ${rest.map((s, i) => `UNION ALL SELECT person, ts, ${i + 1} AS step, NULL AS bd FROM (${s.sql}) WHERE person IN (SELECT person FROM e0)`).join("\n")}
    ORDER BY person, ts, step LIMIT ?`;
  const { results } = await db
    .prepare(sql)
    .bind(...first.params, ...rest.flatMap((s) => s.params), MAX_ROWS + 1)
    .all<{ person: string; ts: number; step: number; bd: string | null }>();
  if (results.length > MAX_ROWS) throw new ApiError(400, "funnel_too_large", "over 500,000 step events: narrow the range or add filters");
  const paths: PersonPath[] = [];
  for (let i = 0; i < results.length; ) {
    let j = i;
    while (j < results.length && results[j].person === results[i].person) j++;
    const path = chain(results.slice(i, j), def.steps.length, windowMs, !!def.breakdown);
    if (path) paths.push(path);
    i = j;
  }
  return paths;
}

/** One person's time-ordered step events → their path through the funnel. */
function chain(rows: { ts: number; step: number; bd: string | null }[], steps: number, windowMs: number, breakdown: boolean): PersonPath | null {
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
  return { bd: breakdown ? entry.bd || null : null, times };
}
