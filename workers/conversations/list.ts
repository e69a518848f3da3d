import { z } from "zod";
import { CONVERSATION_CSV_COLUMNS, RESOLVERS, STATES, type ConversationRow, type HoursMode } from "../contract";
import { badField, parseOr400 } from "../lib/http";

type DbRow = Record<string, string | number | null>;

const iso = (ms: unknown) => (typeof ms === "number" ? new Date(ms).toISOString() : null);
const secs = (ms: unknown) => (typeof ms === "number" ? ms / 1000 : null);

/** The conversation's latest CSAT score (csat_responses_project_conversation). */
const LATEST_CSAT = `(SELECT s.score FROM csat_responses s WHERE s.project_id = c.project_id AND s.conversation_id = c.conversation_id
  ORDER BY s.submitted_at DESC, s.response_id DESC LIMIT 1)`;
const csatScore = z
  .enum(["1", "2", "3", "4", "5"])
  .describe("on the conversation's latest CSAT score (1–5, inclusive); unrated conversations never match");

/** A stored JSON array (durations in ms, or labels); anything unreadable counts as none. */
function jsonArray<T>(json: unknown, keep: (x: unknown) => x is T): T[] {
  try {
    const xs: unknown = JSON.parse(String(json ?? "[]"));
    return Array.isArray(xs) ? xs.filter(keep) : [];
  } catch {
    return [];
  }
}
const isNumber = (x: unknown): x is number => typeof x === "number";
const isString = (x: unknown): x is string => typeof x === "string";

function median(xs: number[]): number | null {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return (s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) / 1000;
}

/** A `conversations` row as the list and the CSV export show it, durations on the wall clock or in business hours (`*_bms` columns). */
export function conversationRow(r: DbRow, hours: HoursMode = "wall", now = Date.now()): ConversationRow {
  const col = (name: string) =>
    hours === "business" ? r[name.replace(/_ms$|_json$/, (m) => (m === "_ms" ? "_bms" : "_bms_json"))] : r[name];
  const human = jsonArray(col("response_times_json"), isNumber);
  return {
    csat: r.csat == null ? null : Number(r.csat),
    conversation_id: String(r.conversation_id),
    external_id: (r.external_id as string | null) ?? null,
    state: r.state as ConversationRow["state"],
    agent_id: (r.agent_id as string | null) ?? null,
    opened_at: iso(r.opened_at),
    queued_at: iso(r.queued_at),
    assigned_at: iso(r.assigned_at),
    resolved_at: iso(r.resolved_at),
    last_event_at: iso(r.last_event_at),
    messages_in: Number(r.messages_in),
    messages_out: Number(r.messages_out),
    bot_responses: Number(r.bot_responses),
    first_response_s: secs(col("first_response_ms")),
    bot_first_response_s: secs(col("bot_first_response_ms")),
    queue_wait_s: secs(col("queue_wait_ms")),
    handle_time_s: secs(col("handle_time_ms")),
    resolution_time_s: secs(col("resolution_time_ms")),
    human_responses: human.length,
    human_response_median_s: median(human),
    bot_response_median_s: median(jsonArray(col("bot_response_times_json"), isNumber)),
    reopen_count: Number(r.reopen_count),
    resolved_by: (r.resolved_by as ConversationRow["resolved_by"]) ?? null,
    handoff_wait_s: secs(col("handoff_wait_ms")),
    handoffs: Number(r.handoffs ?? 0),
    follow_ups: Number(r.follow_ups ?? 0),
    labels: jsonArray(r.labels_json, isString),
    ...slaColumns(r, now),
  };
}

type SlaStatus = ConversationRow["sla_first_response"];
/** A stored SLA status as it stands at `now`: a pending target past its deadline is breached. */
const slaNow = (status: unknown, due: unknown, now: number): SlaStatus =>
  status === "pending" && typeof due === "number" && due < now ? "breached" : ((status as SlaStatus) ?? null);

function slaColumns(r: DbRow, now: number) {
  const fr = slaNow(r.sla_first_response, r.sla_first_response_due_at, now);
  const res = slaNow(r.sla_resolution, r.sla_resolution_due_at, now);
  // A breach the alarm has not recorded yet still counts.
  const late =
    Number(fr === "breached" && r.sla_first_response !== "breached") + Number(res === "breached" && r.sla_resolution !== "breached");
  return {
    sla_policy_id: (r.sla_policy_id as string | null) ?? null,
    sla_first_response: fr,
    sla_first_response_due_at: iso(r.sla_first_response_due_at),
    sla_resolution: res,
    sla_resolution_due_at: iso(r.sla_resolution_due_at),
    sla_breaches: Number(r.sla_breaches ?? 0) + late,
  };
}

/** The CSV values of a row, in `CONVERSATION_CSV_COLUMNS` order (labels joined with `|`). */
export const csvValues = (row: ConversationRow): unknown[] =>
  CONVERSATION_CSV_COLUMNS.map((k) => (k === "labels" ? row.labels.join("|") : row[k]));

type Where = { sql: string; params: unknown[] };

const SLA_BREACHED_SQL = `EXISTS (SELECT 1 FROM conversation_cycles y WHERE y.project_id = c.project_id AND y.conversation_id = c.conversation_id
  AND (y.sla_first_response = 'breached' OR (y.sla_first_response = 'pending' AND y.sla_first_response_due_at < ?)
    OR y.sla_resolution = 'breached' OR (y.sla_resolution = 'pending' AND y.sla_resolution_due_at < ?)))`;

/** Any cycle whose `target` (first_response | resolution) was met, or breached (a pending one past its deadline counts as breached). */
const slaTargetSql = (target: "first_response" | "resolution", v: string): Where => {
  const y = `y.sla_${target}`;
  const cond = v === "met" ? `${y} = 'met'` : `(${y} = 'breached' OR (${y} = 'pending' AND ${y}_due_at < ?))`;
  return {
    sql: `EXISTS (SELECT 1 FROM conversation_cycles y WHERE y.project_id = c.project_id AND y.conversation_id = c.conversation_id AND ${cond})`,
    params: v === "met" ? [] : [Date.now()],
  };
};

/**
 * The conversation list's filters beyond the time range, one entry each: its query parameter and
 * the condition it adds. Service-level filters (e.g. `sla_breached`, `csat`) are added as entries
 * here; each condition may only read the `conversations` row `c` or tables keyed by its
 * (project_id, conversation_id).
 */
export const CONVERSATION_FILTERS: { param: string; schema: z.ZodType<string>; where: (value: string) => Where }[] = [
  // On the latest CSAT score; a conversation never rated matches neither.
  { param: "csat_min", schema: csatScore, where: (v) => ({ sql: `${LATEST_CSAT} >= ?`, params: [Number(v)] }) },
  { param: "csat_max", schema: csatScore, where: (v) => ({ sql: `${LATEST_CSAT} <= ?`, params: [Number(v)] }) },
  { param: "state", schema: z.enum(STATES), where: (v) => ({ sql: "c.state = ?", params: [v] }) },
  { param: "resolved_by", schema: z.enum(RESOLVERS), where: (v) => ({ sql: "c.resolved_by = ?", params: [v] }) },
  {
    // Any cycle the agent held: a reopened conversation belongs to each of its agents.
    param: "agent",
    schema: z.string().min(1).max(200),
    where: (v) => ({
      sql: "(c.agent_id = ? OR EXISTS (SELECT 1 FROM conversation_cycles y WHERE y.project_id = c.project_id AND y.conversation_id = c.conversation_id AND y.agent_id = ?))",
      params: [v, v],
    }),
  },
  // One conversation by id: a list row is also its detail (the dashboard's selected conversation).
  { param: "conversation_id", schema: z.string().min(1).max(200), where: (v) => ({ sql: "c.conversation_id = ?", params: [v] }) },
  {
    param: "label",
    schema: z.string().min(1).max(100),
    where: (v) => ({ sql: "EXISTS (SELECT 1 FROM json_each(c.labels_json) l WHERE l.value = ?)", params: [v] }),
  },
  {
    // Any cycle with a breached target, counting a pending one past its deadline (docs/support-metrics.md).
    param: "sla_breached",
    schema: z.enum(["true", "false"]),
    where: (v) => ({ sql: `${v === "true" ? "" : "NOT "}${SLA_BREACHED_SQL}`, params: [Date.now(), Date.now()] }),
  },
  // The Agents page's SLA figures: the conversations behind "first response met" / "resolution met".
  { param: "sla_first_response", schema: z.enum(["met", "breached"]), where: (v) => slaTargetSql("first_response", v) },
  { param: "sla_resolution", schema: z.enum(["met", "breached"]), where: (v) => slaTargetSql("resolution", v) },
  {
    // Any cycle an agent held: the conversations behind the Agents page's totals.
    param: "handled_by_agent",
    schema: z.enum(["true"]),
    where: () => ({
      sql: "EXISTS (SELECT 1 FROM conversation_cycles y WHERE y.project_id = c.project_id AND y.conversation_id = c.conversation_id AND y.agent_id IS NOT NULL)",
      params: [],
    }),
  },
];

/** Query parameters of the list and export (besides the shared range filters), for their OpenAPI descriptions. */
export const conversationFilterQuery = z.object(Object.fromEntries(CONVERSATION_FILTERS.map((f) => [f.param, f.schema.optional()])));

/** Filters that only make sense together: a CSAT minimum above the maximum matches no conversation. */
const filterBounds = z
  .object({ csat_min: z.coerce.number().optional(), csat_max: z.coerce.number().optional() })
  .refine((q) => q.csat_min === undefined || q.csat_max === undefined || q.csat_min <= q.csat_max, {
    message: "csat_min must not be above csat_max",
    path: ["csat_min"],
  });

/** The filters' conditions for a request's query (400 for an invalid value, or bounds no conversation can meet). */
export function conversationWhere(query: Record<string, string>): Where {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const f of CONVERSATION_FILTERS) {
    const raw = query[f.param];
    if (raw === undefined) continue;
    const value = f.schema.safeParse(raw);
    if (!value.success) throw badField("invalid_query", f.param, `${f.param}: ${value.error.issues[0].message}`);
    const w = f.where(value.data);
    parts.push(w.sql);
    params.push(...w.params);
  }
  parseOr400(filterBounds, query, "query");
  return { sql: parts.map((p) => ` AND ${p}`).join(""), params };
}

export type Order = "asc" | "desc";

/**
 * The list's query: conversations opened in [from, to) with the filters, keyset-paged on
 * (opened_at, conversation_id) through the `conversations_project_opened_id` index.
 */
export function listSql(where: Where, after: [number, string] | null, order: Order): Where {
  const cmp = order === "asc" ? ">" : "<";
  const keyset = after ? ` AND (c.opened_at ${cmp} ? OR (c.opened_at = ? AND c.conversation_id ${cmp} ?))` : "";
  return {
    sql: `SELECT c.*, ${LATEST_CSAT} AS csat FROM conversations c WHERE c.project_id = ? AND c.opened_at >= ? AND c.opened_at < ?${where.sql}${keyset}
      ORDER BY c.opened_at ${order}, c.conversation_id ${order} LIMIT ?`,
    params: [...where.params, ...(after ? [after[0], after[0], after[1]] : [])],
  };
}

/** A page's cursor: the last row's keyset, opaque to clients. */
export const cursorOf = (r: DbRow) => btoa(`${r.opened_at}:${r.conversation_id}`).replaceAll("=", "");

const cursorSchema = z.object({ cursor: z.string().max(600).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const pageQuery = cursorSchema;

/** The keyset of a cursor, or 400. */
export function parsePage(query: Record<string, string>): { after: [number, string] | null; limit: number } {
  const { cursor, limit } = parseOr400(cursorSchema, query, "query");
  if (!cursor) return { after: null, limit };
  try {
    const text = atob(cursor);
    const i = text.indexOf(":");
    const at = Number(text.slice(0, i));
    if (i > 0 && Number.isFinite(at)) return { after: [at, text.slice(i + 1)], limit };
  } catch {
    // an unreadable cursor is the client's mistake
  }
  throw badField("invalid_query", "cursor", "cursor: the `next` of a previous page");
}

export type { DbRow };
