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

/**
 * One row per person who entered: the time of their FIRST step-1 event in the range, then for each
 * next step the earliest matching event at or after the previous step, all within the window of
 * step 1. Chained CTEs keep it in SQL; each step's events are materialized once.
 */
export async function personPaths(db: D1Database, projectId: string, def: FunnelDefinition, f: Filters): Promise<PersonPath[]> {
  const windowMs = def.window * 1000;
  const ctes: string[] = [];
  const params: unknown[] = [];
  def.steps.forEach((step, i) => {
    const ev = stepEvents(projectId, step, f, i === 0, windowMs, i === 0 ? def.breakdown : undefined);
    ctes.push(`e${i} AS MATERIALIZED (${ev.sql})`);
    params.push(...ev.params);
    if (i === 0) // A bare column beside a lone min() comes from the min row in SQLite: bd is the entry event's value.
      ctes.push(`s0 AS (SELECT person, t, t AS t0, bd FROM (SELECT person, min(ts) AS t, ${def.breakdown ? "bd" : "NULL AS bd"} FROM e0 GROUP BY person))`);
    else
      ctes.push(`s${i} AS (SELECT p.person, min(x.ts) AS t, p.t0 FROM s${i - 1} p JOIN e${i} x ON x.person = p.person
        AND x.ts >= p.t AND x.ts <= p.t0 + ? GROUP BY p.person)`), params.push(windowMs);
  });
  const cols = def.steps.map((_, i) => `s${i}.t AS t${i}`).join(", ");
  const joins = def.steps.slice(1).map((_, i) => `LEFT JOIN s${i + 1} ON s${i + 1}.person = s0.person`).join(" ");
  const sql = `WITH ${ctes.join(",\n")} SELECT s0.bd, ${cols} FROM s0 ${joins}`;
  const { results } = await db.prepare(sql).bind(...params).all<Record<string, number | string | null>>();
  return results.map((r) => ({
    bd: def.breakdown ? ((r.bd as string) || null) : null,
    times: def.steps.map((_, i) => (r[`t${i}`] as number | null) ?? null),
  }));
}
