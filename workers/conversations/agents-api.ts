import { Hono } from "hono";
import {
  agentQueueSchema,
  agentsSchema,
  hoursQuerySchema,
  RESPONSE_BUCKETS,
  responseBucketsSchema,
  type AgentQueue,
  type Agents,
  type HoursMode,
  type ResponseBuckets,
} from "../contract";
import { parseOr400 } from "../lib/http";
import { filterQuerySchema, parseFilters } from "../lib/filters";
import { doc } from "../lib/openapi";
import type { ApiEnv } from "../lib/auth";
import { distributionOf, EMPTY, rate, type Distribution } from "../lib/distribution";
import { CONVERSATIONS_IN_RANGE } from "../lib/filters/whatsapp";

// Durations per conversation cycle (docs/support-metrics.md). Handle and resolution times describe
// the agent's own resolutions only: an idle close or a customer leaving is nobody's resolution time.
const AGENT_RESOLVED = "resolved_by = 'agent'";
// `hours=business` reads the same durations counted in business hours (`*_bms`, stored per cycle by the Durable Object).
const metrics = (ms: "ms" | "bms") => ({
  queue_wait: `queue_wait_${ms}`,
  first_response: `first_response_${ms}`,
  handoff_wait: `handoff_wait_${ms}`,
  handle_time: `CASE WHEN ${AGENT_RESOLVED} THEN handle_time_${ms} END`,
  resolution_time: `CASE WHEN ${AGENT_RESOLVED} THEN resolution_time_${ms} END`,
});
const METRICS = metrics("ms");
type Metric = keyof typeof METRICS;
const unit = (hours: HoursMode) => (hours === "business" ? "bms" : "ms");
/** Cycles opened in the range that an agent held (index conversation_cycles_project_opened). */
const HANDLED = `${CONVERSATIONS_IN_RANGE} AND agent_id IS NOT NULL`;

// One row per handled cycle with its five durations; the distributions (all agents together and
// per agent) are computed here. A few thousand rows travel back, where the SQL alternative unpivoted
// and ranked ten values per cycle with a window function (~230 ms at a million events).
const cyclesSql = (ms: "ms" | "bms") => `SELECT agent_id, ${Object.entries(metrics(ms))
  .map(([m, col]) => `${col} AS ${m}`)
  .join(", ")}
  FROM conversation_cycles WHERE ${HANDLED}`;
const CYCLES_SQL = { ms: cyclesSql("ms"), bms: cyclesSql("bms") };

type CycleRow = { agent_id: string } & Record<Metric, number | null>;

/** Keys: "<metric>" for all agents together, "<metric>|<agent_id>" per agent. */
function cycleDistributions(rows: CycleRow[]): Map<string, Distribution> {
  const values = new Map<string, number[]>();
  const add = (k: string, x: number) => (values.get(k) ?? values.set(k, []).get(k)!).push(x);
  for (const r of rows)
    for (const m of Object.keys(METRICS) as Metric[]) {
      const x = r[m];
      if (x === null) continue;
      add(m, x);
      add(`${m}|${r.agent_id}`, x);
    }
  return new Map([...values].map(([k, xs]) => [k, distributionOf(xs)]));
}

/** Conversations (cycles) per agent and the agent's own resolutions among them. */
export const AGENT_COUNTS_SQL = `SELECT agent_id, count(*) AS conversations, coalesce(sum(${AGENT_RESOLVED}), 0) AS resolutions
  FROM conversation_cycles WHERE ${HANDLED} GROUP BY agent_id ORDER BY conversations DESC, agent_id`;

type Counts = { conversations: number; resolutions: number };

function metricsOf(d: Map<string, Distribution>, suffix: string) {
  return Object.fromEntries(Object.keys(METRICS).map((m) => [m, d.get(m + suffix) ?? EMPTY])) as Record<Metric, Distribution>;
}

const withRate = (c: Counts) => ({ ...c, resolution_rate: rate(c.resolutions, c.conversations) });

/** `/api/projects/:project/agents`: who handles conversations how fast, and who is waiting now. */
export const agentsApi = new Hono<ApiEnv>();

/**
 * Per agent and overall, over conversation cycles opened in the range that an agent held (a reopened
 * conversation counts once per cycle, for that cycle's agent); resolutions are the agent's own.
 */
const agentsDoc = doc({
  summary: "Agent performance over conversation cycles opened in the range",
  tags: ["agents"],
  auth: "project",
  description: "Durations on the wall clock, or with `hours=business` in the project's business hours (docs/support-metrics.md).",
  query: filterQuerySchema.extend(hoursQuerySchema.shape),
  responses: { 200: { description: "overall and per agent; durations in seconds", schema: agentsSchema } },
  errors: ["invalid_query", "invalid_range"],
});

agentsApi.get("/", agentsDoc, async (c) => {
  const f = parseFilters(c.req.query());
  const { hours } = parseOr400(hoursQuerySchema, c.req.query(), "query");
  const params = [c.get("project").id, f.from, f.to];
  const [counts, cycles] = await Promise.all([
    c.env.DB.prepare(AGENT_COUNTS_SQL)
      .bind(...params)
      .all<Counts & { agent_id: string }>(),
    c.env.DB.prepare(CYCLES_SQL[unit(hours)])
      .bind(...params)
      .all<CycleRow>(),
  ]);
  const d = cycleDistributions(cycles.results);
  const overall = counts.results.reduce<Counts>(
    (o, r) => ({ conversations: o.conversations + r.conversations, resolutions: o.resolutions + r.resolutions }),
    { conversations: 0, resolutions: 0 },
  );
  return c.json({
    overall: { ...withRate(overall), ...metricsOf(d, "") },
    agents: counts.results.map((r) => ({ ...withRate(r), agent_id: r.agent_id, ...metricsOf(d, "|" + r.agent_id) })),
  } satisfies Agents);
});

// The live queue is a short list by nature; past this many the count still tells the truth.
const QUEUE_LIMIT = 500;

/** Conversations waiting for an agent right now, longest wait first. */
const queueDoc = doc({
  summary: "Conversations waiting for an agent now",
  tags: ["agents"],
  auth: "project",
  responses: { 200: { description: "longest wait first", schema: agentQueueSchema } },
});

agentsApi.get("/queue", queueDoc, async (c) => {
  const project = c.get("project").id;
  const now = Date.now();
  const [rows, total] = await c.env.DB.batch<Record<string, unknown>>([
    c.env.DB.prepare(
      `SELECT conversation_id, external_id, queued_at FROM conversations
       WHERE project_id = ? AND state = 'queued' ORDER BY queued_at, conversation_id LIMIT ?`,
    ).bind(project, QUEUE_LIMIT),
    c.env.DB.prepare("SELECT count(*) AS n FROM conversations WHERE project_id = ? AND state = 'queued'").bind(project),
  ]);
  const waiting = (rows.results as { conversation_id: string; external_id: string | null; queued_at: number | null }[]).map((r) => ({
    conversation_id: r.conversation_id,
    external_id: r.external_id,
    queued_at: r.queued_at == null ? null : new Date(r.queued_at).toISOString(),
    waiting_seconds: r.queued_at == null ? null : Math.max(0, Math.round((now - r.queued_at) / 1000)),
  }));
  return c.json({ waiting, count: total.results[0].n as number, oldest_seconds: waiting[0]?.waiting_seconds ?? null } satisfies AgentQueue);
});

/** The bucket index of a response time `x` (ms), in SQL. */
const BUCKET_OF = `CASE ${RESPONSE_BUCKETS.filter((b) => b.max_s !== null)
  .map((b, i) => `WHEN x < ${b.max_s! * 1000} THEN ${i}`)
  .join(" ")} ELSE ${RESPONSE_BUCKETS.length - 1} END`;

/** Every response time of the cycles opened in the range, bucketed: human ones per agent ('' = none), bot ones apart. */
const bucketsSql = (ms: "ms" | "bms") => {
  const times = ms === "ms" ? "" : "_bms";
  return `WITH v(who, agent, x) AS (
    SELECT 'human', coalesce(agent_id, ''), j.value FROM conversation_cycles, json_each(response_times${times}_json) j WHERE ${CONVERSATIONS_IN_RANGE}
    UNION ALL
    SELECT 'bot', '', j.value FROM conversation_cycles, json_each(bot_response_times${times}_json) j WHERE ${CONVERSATIONS_IN_RANGE})
  SELECT who, agent, ${BUCKET_OF} AS b, count(*) AS n FROM v GROUP BY who, agent, b`;
};
export const RESPONSE_BUCKETS_SQL = bucketsSql("ms");
const BUSINESS_BUCKETS_SQL = bucketsSql("bms");

const bucketsDoc = doc({
  summary: "Response times in buckets, per channel and agent",
  description: `Buckets: ${RESPONSE_BUCKETS.map((b) => b.label).join(", ")}. Every human and bot response of the conversation cycles opened in the range; \`hours=business\` buckets them in business hours.`,
  tags: ["agents"],
  auth: "project",
  query: filterQuerySchema.extend(hoursQuerySchema.shape),
  responses: { 200: { description: "counts per bucket", schema: responseBucketsSchema } },
  errors: ["invalid_query", "invalid_range"],
});

agentsApi.get("/response-buckets", bucketsDoc, async (c) => {
  const f = parseFilters(c.req.query());
  const { hours } = parseOr400(hoursQuerySchema, c.req.query(), "query");
  const { results } = await c.env.DB.prepare(hours === "business" ? BUSINESS_BUCKETS_SQL : RESPONSE_BUCKETS_SQL)
    .bind(c.get("project").id, f.from, f.to)
    .all<{ who: "human" | "bot"; agent: string; b: number; n: number }>();
  const zeros = () => RESPONSE_BUCKETS.map(() => 0);
  const channel = { channel: "whatsapp", human: zeros(), bot: zeros() };
  const agents = new Map<string, number[]>();
  for (const r of results) {
    channel[r.who][r.b] += r.n;
    if (r.who === "human" && r.agent) (agents.get(r.agent) ?? agents.set(r.agent, zeros()).get(r.agent)!)[r.b] += r.n;
  }
  return c.json({
    buckets: RESPONSE_BUCKETS.map((b) => ({ ...b })),
    channels: [channel],
    agents: [...agents].sort(([a], [b]) => (a < b ? -1 : 1)).map(([agent_id, human]) => ({ agent_id, human })),
  } satisfies ResponseBuckets);
});
