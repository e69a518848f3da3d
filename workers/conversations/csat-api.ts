import { Hono } from "hono";
import { z } from "zod";
import {
  CSAT_MAX,
  CSAT_OUTCOMES,
  CSAT_SATISFIED_MIN,
  csatRepliesSchema,
  csatReplyIdSchema,
  csatReportSchema,
  csatScoreSchema,
  type CsatGroup,
  type CsatReplies,
  type CsatReport,
} from "../contract";
import type { ApiEnv } from "../lib/auth";
import { rate } from "../lib/distribution";
import { filterQuerySchema, parseFilters } from "../lib/filters";
import { parseOr400, readJson } from "../lib/http";
import { doc } from "../lib/openapi";

// Each response belongs to the latest cycle of its conversation opened at or before it (else the
// first cycle: a CRM clock slightly behind); per cycle only the latest response counts (a customer
// who changes their mind). Counted per (agent, outcome, score). Binds ?1 project, ?2 from, ?3 to.
// `+y.opened_at` keeps SQLite on the (project, conversation) key for the cycle lookup: offered the
// opened_at index instead, it walked every cycle opened before each response (73 s at a million events).
const REPORT_SQL = `WITH r AS (
  SELECT s.conversation_id, s.score, s.submitted_at, s.response_id, coalesce(
      (SELECT max(y.cycle) FROM conversation_cycles y WHERE y.project_id = ?1 AND y.conversation_id = s.conversation_id AND +y.opened_at <= s.submitted_at),
      (SELECT min(y.cycle) FROM conversation_cycles y WHERE y.project_id = ?1 AND y.conversation_id = s.conversation_id)) AS cycle
  FROM csat_responses s WHERE s.project_id = ?1 AND s.submitted_at >= ?2 AND s.submitted_at < ?3),
latest AS (SELECT *, row_number() OVER (PARTITION BY conversation_id, cycle ORDER BY submitted_at DESC, response_id DESC) AS rn FROM r)
SELECT y.agent_id, coalesce(y.resolved_by, 'open') AS outcome, l.score, count(*) AS n
FROM latest l LEFT JOIN conversation_cycles y ON y.project_id = ?1 AND y.conversation_id = l.conversation_id AND y.cycle = l.cycle
WHERE l.rn = 1 GROUP BY y.agent_id, outcome, l.score`;

type Cell = { agent_id: string | null; outcome: string; score: number; n: number };

/** CSAT of a group of (score, count) cells. */
function group(cells: Cell[]): CsatGroup {
  const scores = Array.from({ length: CSAT_MAX }, (_, i) => cells.filter((c) => c.score === i + 1).reduce((n, c) => n + c.n, 0));
  const responses = scores.reduce((a, b) => a + b, 0);
  const satisfied = scores.slice(CSAT_SATISFIED_MIN - 1).reduce((a, b) => a + b, 0);
  const total = scores.reduce((sum, n, i) => sum + n * (i + 1), 0);
  return { responses, average: rate(total, responses), satisfied, satisfied_rate: rate(satisfied, responses), scores };
}

/** `/api/projects/:project/csat`: customer satisfaction per agent, bot vs human and outcome; the reply ids that are scores. */
export const csatApi = new Hono<ApiEnv>();

const reportDoc = doc({
  summary: "Customer satisfaction (CSAT) per agent, bot vs human and outcome",
  description:
    "Responses submitted in the range (CRM `csat` events and WhatsApp replies mapped by `PUT /csat/replies`), the latest per conversation cycle. " +
    "average = mean score (1–5); satisfied = responses scoring 4 or 5; satisfied_rate = satisfied ÷ responses. Per agent: the rated cycle's agent; " +
    "bot / human: cycles resolved by the bot / by an agent; outcomes: the rated cycle's resolved_by, `open` when not resolved (docs/support-metrics.md).",
  tags: ["agents"],
  auth: "project",
  query: filterQuerySchema,
  responses: { 200: { description: "CSAT overall and by group", schema: csatReportSchema } },
  errors: ["invalid_query", "invalid_range"],
});

csatApi.get("/", reportDoc, async (c) => {
  const f = parseFilters(c.req.query());
  const { results } = await c.env.DB.prepare(REPORT_SQL).bind(c.get("project").id, f.from, f.to).all<Cell>();
  const agents = [...new Set(results.map((r) => r.agent_id).filter((a): a is string => !!a))].sort();
  return c.json({
    overall: group(results),
    agents: agents.map((agent_id) => ({ agent_id, ...group(results.filter((r) => r.agent_id === agent_id)) })),
    bot: group(results.filter((r) => r.outcome === "bot")),
    human: group(results.filter((r) => r.outcome === "agent")),
    outcomes: Object.fromEntries(CSAT_OUTCOMES.map((o) => [o, group(results.filter((r) => r.outcome === o))])) as CsatReport["outcomes"],
  } satisfies CsatReport);
});

/** At most this many reply ids per project: a survey has a handful of buttons. */
const MAX_REPLIES = 50;
const repliesBodySchema = z.strictObject({
  replies: z
    .record(csatReplyIdSchema, csatScoreSchema)
    .refine((r) => Object.keys(r).length <= MAX_REPLIES, `at most ${MAX_REPLIES} reply ids`),
});

async function replies(db: D1Database, project: string): Promise<CsatReplies> {
  const { results } = await db
    .prepare("SELECT reply_id, score FROM csat_replies WHERE project_id = ? ORDER BY reply_id")
    .bind(project)
    .all<{ reply_id: string; score: number }>();
  return { replies: Object.fromEntries(results.map((r) => [r.reply_id, r.score])) };
}

const getRepliesDoc = doc({
  summary: "WhatsApp reply ids that are CSAT scores",
  tags: ["agents"],
  auth: "project",
  responses: { 200: { description: "reply id → score (1–5)", schema: csatRepliesSchema } },
});

csatApi.get("/replies", getRepliesDoc, async (c) => c.json(await replies(c.env.DB, c.get("project").id)));

const putRepliesDoc = doc({
  summary: "Set the WhatsApp reply ids that are CSAT scores",
  description:
    `Replaces the whole map (at most ${MAX_REPLIES}). An inbound interactive button/list reply id or template button payload in it ` +
    "becomes a CSAT response for the contact's current conversation cycle, and does not reopen the conversation. Needs the write scope.",
  tags: ["agents"],
  auth: "project",
  body: repliesBodySchema,
  responses: { 200: { description: "the map as saved", schema: csatRepliesSchema } },
  errors: ["invalid_json", "invalid_project"],
});

csatApi.put("/replies", putRepliesDoc, async (c) => {
  const body = parseOr400(repliesBodySchema, await readJson(c), "project");
  const project = c.get("project").id;
  const db = c.env.DB;
  await db.batch([
    db.prepare("DELETE FROM csat_replies WHERE project_id = ?").bind(project),
    ...Object.entries(body.replies).map(([id, score]) =>
      db.prepare("INSERT INTO csat_replies (project_id, reply_id, score) VALUES (?, ?, ?)").bind(project, id, score),
    ),
  ]);
  return c.json(await replies(db, project));
});
