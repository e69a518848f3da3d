import { Hono } from "hono";
import { conversationListSchema, hoursQuerySchema, type ConversationList } from "../contract";
import { parseOr400 } from "../lib/http";
import type { ApiEnv } from "../lib/auth";
import { filterQuerySchema, parseFilters } from "../lib/filters";
import { doc } from "../lib/openapi";
import { conversationFilterQuery, conversationRow, conversationWhere, cursorOf, listSql, pageQuery, parsePage, type DbRow } from "./list";

/** `GET /api/projects/:project/conversations`: conversations opened in the range, newest first, each with its metrics. */
export const conversationsApi = new Hono<ApiEnv>();

const listDoc = doc({
  summary: "Conversations opened in the range, newest first, with their metrics",
  description:
    "Filters: state, agent (any cycle the agent held), resolved_by, label, sla_breached. Durations on the wall clock, or with " +
    "`hours=business` in the project's business hours. Cursor pages: pass `next` as `cursor`.",
  tags: ["agents"],
  auth: "project",
  query: filterQuerySchema.extend({ ...conversationFilterQuery.shape, ...pageQuery.shape, ...hoursQuerySchema.shape }),
  responses: { 200: { description: "one page of conversations", schema: conversationListSchema } },
  errors: ["invalid_query", "invalid_range"],
});

conversationsApi.get("/", listDoc, async (c) => {
  const query = c.req.query();
  const f = parseFilters(query);
  const { after, limit } = parsePage(query);
  const { hours } = parseOr400(hoursQuerySchema, query, "query");
  const q = listSql(conversationWhere(query), after, "desc");
  const { results } = await c.env.DB.prepare(q.sql)
    .bind(c.get("project").id, f.from, f.to, ...q.params, limit + 1)
    .all<DbRow>();
  const page = results.slice(0, limit);
  return c.json({
    conversations: page.map((r) => conversationRow(r, hours)),
    next: results.length > limit ? cursorOf(page[page.length - 1]) : null,
  } satisfies ConversationList);
});
