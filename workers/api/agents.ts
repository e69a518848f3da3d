import { Hono } from "hono";
import { parseFilters } from "./filters";
import type { ApiEnv } from "./auth";
import { distributions, EMPTY, type Distribution } from "./whatsapp/distribution";
import { CONVERSATIONS_IN_RANGE } from "./whatsapp/range";

// Durations the ConversationDO measures; human ones exclude the time the bot owned the chat.
const METRICS = {
  queue_wait: "queue_wait_ms",
  first_response: "first_response_ms",
  handle_time: "handle_time_ms",
  resolution_time: "resolution_time_ms",
} as const;
type Metric = keyof typeof METRICS;
const HANDLED = `${CONVERSATIONS_IN_RANGE} AND agent_id IS NOT NULL`;

// Keys: "<metric>" for all agents together, "<metric>|<agent_id>" per agent. One pass unpivots the
// metric columns with json_each: D1 allows only a handful of terms in a compound SELECT.
const VALUES_SQL = `SELECT m.value || CASE WHEN g.value THEN '|' || agent_id ELSE '' END,
    CASE m.value ${Object.entries(METRICS).map(([m, col]) => `WHEN '${m}' THEN ${col}`).join(" ")} END
  FROM conversations, json_each('${JSON.stringify(Object.keys(METRICS))}') m, json_each('[0,1]') g
  WHERE ${HANDLED}`;

type Counts = { conversations: number; resolutions: number };

function metricsOf(d: Map<string, Distribution>, suffix: string) {
  return Object.fromEntries(Object.keys(METRICS).map((m) => [m, d.get(m + suffix) ?? EMPTY])) as Record<Metric, Distribution>;
}

/** `/api/projects/:project/agents`: who handles conversations how fast, and who is waiting now. */
export const agentsApi = new Hono<ApiEnv>();

/**
 * Per agent and overall, over conversations opened in the range that an agent took
 * (each counted for the agent holding it last); durations in seconds.
 */
agentsApi.get("/", async (c) => {
  const f = parseFilters(c.req.query());
  const params = [c.get("project").id, f.from, f.to];
  const [counts, d] = await Promise.all([
    c.env.DB.prepare(
      `SELECT agent_id, count(*) AS conversations, coalesce(sum(state = 'resolved'), 0) AS resolutions
       FROM conversations WHERE ${HANDLED} GROUP BY agent_id ORDER BY conversations DESC, agent_id`,
    )
      .bind(...params)
      .all<Counts & { agent_id: string }>(),
    distributions(c.env.DB, VALUES_SQL, params),
  ]);
  const overall = counts.results.reduce<Counts>(
    (o, r) => ({ conversations: o.conversations + r.conversations, resolutions: o.resolutions + r.resolutions }),
    { conversations: 0, resolutions: 0 },
  );
  return c.json({
    overall: { ...overall, ...metricsOf(d, "") },
    agents: counts.results.map((r) => ({ ...r, ...metricsOf(d, "|" + r.agent_id) })),
  });
});

// The live queue is a short list by nature; past this many the count still tells the truth.
const QUEUE_LIMIT = 500;

/** Conversations waiting for an agent right now, longest wait first. */
agentsApi.get("/queue", async (c) => {
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
  return c.json({ waiting, count: total.results[0].n as number, oldest_seconds: waiting[0]?.waiting_seconds ?? null });
});
