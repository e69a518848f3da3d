import { Hono } from "hono";
import { agentAvailabilitySchema, type AgentAvailability } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { filterQuerySchema, parseFilters } from "../lib/filters";
import { doc } from "../lib/openapi";
import { agentAvailability, figures, type HeldCycle, type StatusChange } from "./availability";

// Binds ?1 project, ?2 from, ?3 end. Each agent's changes in the range, plus the last one before it
// (the status the agent was in when the range began).
const CHANGES_SQL = `SELECT agent_id, at, status FROM agent_status_changes WHERE project_id = ?1 AND at >= ?2 AND at < ?3
UNION ALL
SELECT agent_id, max(at) AS at, status FROM agent_status_changes WHERE project_id = ?1 AND at < ?2 GROUP BY agent_id
ORDER BY agent_id, at`;
// Cycles an agent held at some moment of the range.
const HELD_SQL = `SELECT agent_id, assigned_at, resolved_at FROM conversation_cycles
WHERE project_id = ?1 AND agent_id IS NOT NULL AND assigned_at IS NOT NULL AND assigned_at < ?3 AND (resolved_at IS NULL OR resolved_at > ?2)`;
// The agents' own resolutions in the range.
const RESOLVED_SQL = `SELECT agent_id, count(*) AS n FROM conversation_cycles
WHERE project_id = ?1 AND resolved_by = 'agent' AND agent_id IS NOT NULL AND resolved_at >= ?2 AND resolved_at < ?3 GROUP BY agent_id`;

/** `/api/projects/:project/agents/availability`: online, away and offline time, occupancy and throughput per agent. */
export const availabilityApi = new Hono<ApiEnv>();

const availabilityDoc = doc({
  summary: "Agent availability: time online, away and offline, occupancy, resolutions per online hour",
  description:
    "From the status changes reported through the CRM webhook (`agent_status`). A status holds until the agent's next change; " +
    "a change before the range sets the status the range starts with; the last status runs to the range's end or now. " +
    "occupancy = online time holding at least one open conversation cycle ÷ online time; handled_per_online_hour = " +
    "cycles the agent resolved in the range ÷ online hours (docs/support-metrics.md).",
  tags: ["agents"],
  auth: "project",
  query: filterQuerySchema,
  responses: {
    200: { description: "overall and per agent with a known status in the range; times in seconds", schema: agentAvailabilitySchema },
  },
  errors: ["invalid_query", "invalid_range"],
});

availabilityApi.get("/", availabilityDoc, async (c) => {
  const f = parseFilters(c.req.query());
  const end = Math.max(f.from, Math.min(f.to, Date.now()));
  const params = [c.get("project").id, f.from, end];
  const [changes, held, resolved] = await c.env.DB.batch<Record<string, unknown>>(
    [CHANGES_SQL, HELD_SQL, RESOLVED_SQL].map((sql) => c.env.DB.prepare(sql).bind(...params)),
  );
  const byAgent = <T extends { agent_id: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.agent_id, [...(m.get(r.agent_id) ?? []), r]);
    return m;
  };
  const cycles = byAgent(held.results as HeldCycle[]);
  const resolutions = new Map((resolved.results as { agent_id: string; n: number }[]).map((r) => [r.agent_id, r.n]));
  const agents = [...byAgent(changes.results as StatusChange[])].map(([agent_id, list]) => ({
    agent_id,
    ...agentAvailability(list, cycles.get(agent_id) ?? [], resolutions.get(agent_id) ?? 0, f.from, end),
  }));
  const sum = (k: "online" | "away" | "offline" | "busy") => agents.reduce((n, a) => n + a.ms[k], 0);
  return c.json({
    from: new Date(f.from).toISOString(),
    to: new Date(end).toISOString(),
    overall: figures(
      sum("online"),
      sum("away"),
      sum("offline"),
      sum("busy"),
      agents.reduce((n, a) => n + a.resolutions, 0),
    ),
    agents: agents.map((a) => ({
      agent_id: a.agent_id,
      status: a.status,
      ...figures(a.ms.online, a.ms.away, a.ms.offline, a.ms.busy, a.resolutions),
    })),
  } satisfies AgentAvailability);
});
