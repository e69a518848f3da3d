import type { SegmentCondition, SegmentDefinition } from "../contract";
import type { Sql } from "../lib/filters";
import { packParams } from "../lib/sql";

type EventMatch = { event: string; channel?: "web" | "whatsapp"; where?: Filter[] };
type Filter = { property: string; op: string; value?: string | number | boolean };
type Range = { from?: string; to?: string; within_days?: number };

const DAY = 86_400_000;

/**
 * Builds one statement with bare `?` placeholders, appending each value as its placeholder is
 * written, so the order of `params` always matches the text. Every value a client sends is bound;
 * only keys (checked against `segmentKeySchema`) and fixed operators reach the SQL text, and keys
 * are bound too, as JSON paths.
 */
class Builder {
  params: unknown[] = [];
  bind(v: unknown): string {
    this.params.push(typeof v === "boolean" ? Number(v) : v);
    return "?";
  }
}

/** The person a contact row `c` stands for: its linked person, else its own `x:` id (lib/person.ts). */
export const CONTACT_PERSON = `coalesce((SELECT i.person_id FROM identities i WHERE i.project_id = c.project_id AND i.kind = 'external_id' AND i.value = c.external_id), 'x:' || c.external_id) AS person_id`;

/** `NOT IN` a set, its NULLs dropped first (one NULL would make `NOT IN` unknown for everybody). */
const notIn = (set: string) => `p.person_id NOT IN (SELECT n.person_id FROM (${set}) n WHERE n.person_id IS NOT NULL)`;

function compare(b: Builder, expr: string, f: { op: string; value?: unknown }): string {
  switch (f.op) {
    case "exists":
      return `${expr} IS NOT NULL`;
    case "not_exists":
      return `${expr} IS NULL`;
    case "contains":
      return `instr(lower(CAST(${expr} AS TEXT)), lower(${b.bind(String(f.value))})) > 0`;
    case "neq":
      // Null-safe: a missing property is "not equal" too.
      if (typeof f.value === "string") return `CAST(${expr} AS TEXT) IS NOT ${b.bind(f.value)}`;
      return `${expr} IS NOT ${b.bind(f.value)}`;
    default: {
      const op = { eq: "=", gt: ">", gte: ">=", lt: "<", lte: "<=" }[f.op]!;
      // Text values compare as text (a property "42" equals 42 as sent from a form).
      if (typeof f.value === "string" && op === "=") return `CAST(${expr} AS TEXT) = ${b.bind(f.value)}`;
      return `${expr} ${op} ${b.bind(f.value)}`;
    }
  }
}

const jsonPath = (key: string) => `$."${key}"`;

/** `e.<column>` conditions of one event match (not the project). */
function eventConds(b: Builder, a: string, m: EventMatch): string {
  const parts = [`${a}.event_name = ${b.bind(m.event)}`];
  if (m.channel) parts.push(`${a}.channel_type = ${b.bind(m.channel)}`);
  for (const f of m.where ?? []) parts.push(compare(b, `json_extract(${a}.properties, ${b.bind(jsonPath(f.property))})`, f));
  return parts.join(" AND ");
}

function rangeConds(b: Builder, a: string, r: Range, now: number): string {
  const parts: string[] = [];
  if (r.from) parts.push(`${a}.timestamp >= ${b.bind(Date.parse(r.from))}`);
  if (r.to) parts.push(`${a}.timestamp < ${b.bind(Date.parse(r.to))}`);
  if (r.within_days) parts.push(`${a}.timestamp >= ${b.bind(now - r.within_days * DAY)}`);
  return parts.length ? " AND " + parts.join(" AND ") : "";
}

/** People who entered step 1 in the range and reached step `k` in order, each within `window` of step 1: `(person_id, t1, tk)`. */
function stepSet(b: Builder, project: string, steps: EventMatch[], k: number, window: number, r: Range, now: number): string {
  let q = `SELECT e.person_id AS person_id, min(e.timestamp) AS t1, min(e.timestamp) AS tk FROM events e
    WHERE e.project_id = ${b.bind(project)} AND ${eventConds(b, "e", steps[0]!)}${rangeConds(b, "e", r, now)} GROUP BY e.person_id`;
  for (let i = 1; i < k; i++) {
    q = `SELECT s.person_id AS person_id, s.t1 AS t1, min(e.timestamp) AS tk FROM (${q}) s
      JOIN events e ON e.project_id = ${b.bind(project)} AND e.person_id = s.person_id AND e.timestamp >= s.tk
        AND e.timestamp <= s.t1 + ${b.bind(window * 1000)} AND ${eventConds(b, "e", steps[i]!)}
      GROUP BY s.person_id`;
  }
  return q;
}

/**
 * The set of people a condition selects when the condition is exactly "person in this set" (and
 * the set only holds people of the project's events or contacts); null for the others.
 */
function memberSet(b: Builder, project: string, c: SegmentCondition, now: number): string | null {
  switch (c.type) {
    case "event": {
      if (!c.did) return null;
      // Placeholders are bound in text order.
      let set = `SELECT e.person_id FROM events e WHERE e.project_id = ${b.bind(project)} AND ${eventConds(b, "e", c)}${rangeConds(b, "e", c, now)}`;
      if (c.min_count > 1) set += ` GROUP BY e.person_id HAVING count(*) >= ${b.bind(c.min_count)}`;
      return set;
    }
    case "event_after": {
      const first = `SELECT e.person_id AS person_id, min(e.timestamp) AS t FROM events e
        WHERE e.project_id = ${b.bind(project)} AND ${eventConds(b, "e", c.first)}${rangeConds(b, "e", c, now)} GROUP BY e.person_id`;
      const then = `EXISTS (SELECT 1 FROM events e WHERE e.project_id = ${b.bind(project)} AND e.person_id = f.person_id
        AND e.timestamp > f.t AND e.timestamp <= f.t + ${b.bind(c.within_seconds * 1000)} AND ${eventConds(b, "e", c.then)})`;
      return `SELECT f.person_id FROM (${first}) f WHERE ${c.did ? "" : "NOT "}${then}`;
    }
    case "funnel_step":
      return c.reached >= c.steps.length
        ? `SELECT person_id FROM (${stepSet(b, project, c.steps, c.reached, c.window_seconds, c, now)})`
        : null;
    default:
      return null;
  }
}

/** One condition as a boolean SQL expression over `p.person_id`. */
function condition(b: Builder, project: string, c: SegmentCondition, now: number): string {
  const set = memberSet(b, project, c, now);
  if (set !== null) return `p.person_id IN (${set})`;
  switch (c.type) {
    case "event": {
      // Only "did not" is left: "did" is a member set.
      let set = `SELECT e.person_id FROM events e WHERE e.project_id = ${b.bind(project)} AND ${eventConds(b, "e", c)}${rangeConds(b, "e", c, now)}`;
      if (c.min_count > 1) set += ` GROUP BY e.person_id HAVING count(*) >= ${b.bind(c.min_count)}`;
      return notIn(set);
    }
    case "event_after":
      throw new Error("unreachable: event_after is always a member set");
    case "funnel_step": {
      const reached = stepSet(b, project, c.steps, c.reached, c.window_seconds, c, now);
      const next = stepSet(b, project, c.steps, c.reached + 1, c.window_seconds, c, now);
      return `(p.person_id IN (SELECT person_id FROM (${reached})) AND ${notIn(next)})`;
    }
    case "trait": {
      // Placeholders are bound in text order: the project first, then the test.
      const set = `SELECT ${CONTACT_PERSON} FROM contacts c WHERE c.project_id = ${b.bind(project)} AND `;
      const expr = c.trait === "name" ? "c.name" : `json_extract(c.attributes, ${b.bind(jsonPath(c.trait))})`;
      // A person without any contact row has no traits: `not_exists` holds for them too.
      if (c.op === "not_exists") return notIn(set + compare(b, expr, { op: "exists" }));
      return `p.person_id IN (${set}${compare(b, expr, c)})`;
    }
    case "reachable": {
      const has = `(p.person_id LIKE 'x:%' OR p.person_id IN (SELECT i.person_id FROM identities i WHERE i.project_id = ${b.bind(project)} AND i.kind = 'external_id'))`;
      return c.value ? has : `NOT ${has}`;
    }
    case "consent": {
      const set = `SELECT ${CONTACT_PERSON} FROM contacts c WHERE c.project_id = ${b.bind(project)} AND `;
      if (c.state === "unknown") return notIn(set + "c.consent IS NOT NULL");
      return `p.person_id IN (${set}c.consent = ${b.bind(c.state)})`;
    }
    case "list": {
      const set = `SELECT l.person_id FROM list_members l WHERE l.project_id = ${b.bind(project)} AND l.list = ${b.bind(c.list)}`;
      return c.member ? `p.person_id IN (${set})` : notIn(set);
    }
    case "last_seen": {
      const parts: string[] = [];
      const recent = (days: number) =>
        `SELECT e.person_id FROM events e WHERE e.project_id = ${b.bind(project)} AND e.timestamp >= ${b.bind(now - days * DAY)}`;
      if (c.within_days) parts.push(`p.person_id IN (${recent(c.within_days)})`);
      if (c.more_than_days) parts.push(notIn(recent(c.more_than_days)));
      return parts.length ? `(${parts.join(" AND ")})` : "1";
    }
  }
}

/**
 * The project's people: every person of an event, and every contact (imported contacts may not
 * have any event yet). Both channels, through identity links: `events.person_id` and
 * CONTACT_PERSON are the same person for linked ids.
 */
function people(b: Builder, project: string): string {
  return `SELECT DISTINCT e.person_id AS person_id FROM events e WHERE e.project_id = ${b.bind(project)} AND e.person_id IS NOT NULL
    UNION SELECT ${CONTACT_PERSON} FROM contacts c WHERE c.project_id = ${b.bind(project)}`;
}

/**
 * `SELECT person_id FROM … WHERE <definition>`: one statement, every value bound (unpacked). When
 * every condition must hold and one of them is an event set, that set is where the people come
 * from instead of all of the project's people: the same members, without reading every person of
 * a million events first.
 */
export function membersSql(project: string, def: SegmentDefinition, now = Date.now()): Sql {
  const b = new Builder();
  const base = def.match === "all" ? def.conditions.findIndex((c) => memberSet(new Builder(), project, c, now) !== null) : -1;
  const from =
    base >= 0
      ? `SELECT DISTINCT s.person_id AS person_id FROM (${memberSet(b, project, def.conditions[base]!, now)}) s WHERE s.person_id IS NOT NULL`
      : people(b, project);
  const conds = def.conditions.filter((_, i) => i !== base).map((c) => condition(b, project, c, now));
  const where = conds.length ? conds.map((c) => `(${c})`).join(def.match === "all" ? "\n AND " : "\n OR ") : "1";
  const sql = `SELECT p.person_id AS person_id FROM (${from}) p WHERE ${where}`;
  return { sql, params: b.params };
}

/** One row when `person` is a member, none otherwise. */
export function memberSql(project: string, def: SegmentDefinition, person: string, now = Date.now()): Sql {
  const m = membersSql(project, def, now);
  return packParams({ sql: `SELECT 1 AS member FROM (${m.sql}) WHERE person_id = ? LIMIT 1`, params: [...m.params, person] });
}

/** The member count, in one statement. */
export function countSql(project: string, def: SegmentDefinition, now = Date.now()): Sql {
  const m = membersSql(project, def, now);
  return packParams({ sql: `SELECT count(*) AS n FROM (${m.sql})`, params: m.params });
}

/**
 * One page of members after `after` (keyset on person_id), with each member's WhatsApp address
 * (their linked external id, else their own `x:` id), contact name, time zone, consent and last event.
 */
export function pageSql(project: string, def: SegmentDefinition, after: string, limit: number, now = Date.now()): Sql {
  const m = membersSql(project, def, now);
  const sql = `SELECT w.person_id, w.whatsapp, c.name, c.timezone, c.consent, c.attributes,
      (SELECT max(e.timestamp) FROM events e WHERE e.project_id = ? AND e.person_id = w.person_id) AS last_seen_at
    FROM (SELECT m.person_id,
        coalesce((SELECT min(i.value) FROM identities i WHERE i.project_id = ? AND i.person_id = m.person_id AND i.kind = 'external_id'),
          CASE WHEN m.person_id LIKE 'x:%' THEN substr(m.person_id, 3) END) AS whatsapp
      FROM (${m.sql}) m WHERE m.person_id > ? ORDER BY m.person_id LIMIT ?) w
    LEFT JOIN contacts c ON c.project_id = ? AND c.external_id = w.whatsapp
    ORDER BY w.person_id`;
  return packParams({ sql, params: [project, project, ...m.params, after, limit, project] });
}
