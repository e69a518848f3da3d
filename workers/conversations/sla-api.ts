import { Hono } from "hono";
import { z } from "zod";
import { slaAtRiskSchema, slaReportSchema, type SlaAtRisk, type SlaReport } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { rate } from "../lib/distribution";
import { filterQuerySchema, parseFilters } from "../lib/filters";
import { parseOr400 } from "../lib/http";
import { doc } from "../lib/openapi";
import { conversationFilterQuery, conversationWhere } from "./list";
import { slaPoliciesApi } from "./sla-policies-api";

/** A stored status as it stands now: a pending target whose deadline has passed is breached (the alarm may not have run yet). */
const effective = (t: "first_response" | "resolution") =>
  `CASE WHEN y.sla_${t} = 'pending' AND y.sla_${t}_due_at < ? THEN 'breached' ELSE y.sla_${t} END`;

const REPORT_SQL = (where: string) => `WITH s AS (
    SELECT y.agent_id, ${effective("first_response")} AS fr, ${effective("resolution")} AS res
    FROM conversation_cycles y JOIN conversations c ON c.project_id = y.project_id AND c.conversation_id = y.conversation_id
    WHERE y.project_id = ? AND y.opened_at >= ? AND y.opened_at < ? AND y.sla_policy_id IS NOT NULL${where})
  SELECT agent_id, count(*) AS cycles,
    coalesce(sum(fr = 'met'), 0) AS fr_met, coalesce(sum(fr = 'breached'), 0) AS fr_breached, coalesce(sum(fr = 'pending'), 0) AS fr_pending,
    coalesce(sum(res = 'met'), 0) AS res_met, coalesce(sum(res = 'breached'), 0) AS res_breached, coalesce(sum(res = 'pending'), 0) AS res_pending
  FROM s GROUP BY agent_id ORDER BY agent_id`;

type ReportRow = { agent_id: string | null; cycles: number } & Record<`${"fr" | "res"}_${"met" | "breached" | "pending"}`, number>;

const figures = (r: Omit<ReportRow, "agent_id">) => ({
  cycles: r.cycles,
  first_response: { met: r.fr_met, breached: r.fr_breached, pending: r.fr_pending, met_rate: rate(r.fr_met, r.fr_met + r.fr_breached) },
  resolution: { met: r.res_met, breached: r.res_breached, pending: r.res_pending, met_rate: rate(r.res_met, r.res_met + r.res_breached) },
});

/** `/api/projects/:project/sla`: service-level figures, the live at-risk list, and the policies. */
export const slaApi = new Hono<ApiEnv>();
slaApi.route("/policies", slaPoliciesApi);

const reportDoc = doc({
  summary: "SLA met and breached, overall and per agent",
  description:
    "Over the conversation cycles opened in the range that an SLA policy applied to (each for its own agent), with the " +
    "conversation list's filters. `met_rate` = met ÷ (met + breached); pending targets are not counted in it.",
  tags: ["sla"],
  auth: "project",
  query: filterQuerySchema.extend(conversationFilterQuery.shape),
  responses: { 200: { description: "overall and per agent", schema: slaReportSchema } },
  errors: ["invalid_query", "invalid_range"],
});

slaApi.get("/", reportDoc, async (c) => {
  const query = c.req.query();
  const f = parseFilters(query);
  const where = conversationWhere(query);
  const now = Date.now();
  const { results } = await c.env.DB.prepare(REPORT_SQL(where.sql))
    .bind(now, now, c.get("project").id, f.from, f.to, ...where.params)
    .all<ReportRow>();
  const keys = ["cycles", "fr_met", "fr_breached", "fr_pending", "res_met", "res_breached", "res_pending"] as const;
  const total = Object.fromEntries(keys.map((k) => [k, results.reduce((n, r) => n + r[k], 0)])) as Omit<ReportRow, "agent_id">;
  return c.json({
    overall: figures(total),
    agents: results.filter((r) => r.agent_id !== null).map((r) => ({ agent_id: r.agent_id!, ...figures(r) })),
  } satisfies SlaReport);
});

// The at-risk list is a short list by nature; the soonest deadlines come first.
const AT_RISK_LIMIT = 500;
const atRiskQuery = z.object({ within: z.coerce.number().int().min(0).max(10_080).default(60) });

const atRiskTarget = (
  t: "first_response" | "resolution",
) => `SELECT y.conversation_id AS conversation_id, c.external_id AS external_id, c.state AS state,
    y.agent_id AS agent_id, y.cycle AS cycle,
    y.sla_policy_id AS policy_id, '${t}' AS target, y.sla_${t}_due_at AS due_at
  FROM conversation_cycles y JOIN conversations c ON c.project_id = y.project_id AND c.conversation_id = y.conversation_id
  WHERE y.project_id = ?1 AND y.resolved_at IS NULL AND y.sla_policy_id IS NOT NULL AND c.state <> 'resolved'
    AND y.sla_${t} IN ('pending', 'breached') AND y.sla_${t}_due_at <= ?2`;

const atRiskDoc = doc({
  summary: "Open conversations whose SLA breaches within N minutes, or already did",
  description:
    "One row per open conversation and target (first response, resolution) whose deadline is at most `within` minutes " +
    "away (default 60, up to 10080) or has passed; soonest deadline first, at most 500.",
  tags: ["sla"],
  auth: "project",
  query: atRiskQuery,
  responses: { 200: { description: "soonest deadline first", schema: slaAtRiskSchema } },
  errors: ["invalid_query"],
});

slaApi.get("/at-risk", atRiskDoc, async (c) => {
  const { within } = parseOr400(atRiskQuery, c.req.query(), "query");
  const now = Date.now();
  const { results } = await c.env.DB.prepare(
    `${atRiskTarget("first_response")} UNION ALL ${atRiskTarget("resolution")} ORDER BY due_at, conversation_id LIMIT ${AT_RISK_LIMIT}`,
  )
    .bind(c.get("project").id, now + within * 60_000)
    .all<{
      conversation_id: string;
      external_id: string | null;
      state: string;
      agent_id: string | null;
      cycle: number;
      policy_id: string;
      target: "first_response" | "resolution";
      due_at: number;
    }>();
  return c.json({
    within_minutes: within,
    at: new Date(now).toISOString(),
    conversations: results.map((r) => ({
      ...r,
      due_at: new Date(r.due_at).toISOString(),
      seconds_left: Math.round((r.due_at - now) / 1000),
      breached: r.due_at < now,
    })),
  } satisfies SlaAtRisk);
});
