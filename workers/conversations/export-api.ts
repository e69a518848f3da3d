import { Hono } from "hono";
import { CONVERSATION_CSV_COLUMNS, csvSchema, hoursQuerySchema } from "../contract";
import { parseOr400 } from "../lib/http";
import type { ApiEnv } from "../lib/auth";
import { doc } from "../lib/openapi";
import { filterQuerySchema, parseFilters } from "../lib/filters";
import { csvHeaders, csvStream } from "../lib/csv";
import { conversationFilterQuery, conversationRow, conversationWhere, csvValues, listSql, type DbRow } from "./list";

// Keyset pages of this many rows keep each D1 query small however long the export runs.
export const PAGE_SIZE = 500;

const HEADER = [...CONVERSATION_CSV_COLUMNS];

/** `GET /api/projects/:project/export/conversations.csv`: conversations opened in the range, one row each with their metrics. */
export const conversationsExport = new Hono<ApiEnv>();

const exportDoc = doc({
  summary: "Conversations as CSV, one row each with their metrics",
  description: `Conversations opened in the range, oldest first, with the conversation list's filters and hours (wall or business). Columns (the list's row fields): ${CONVERSATION_CSV_COLUMNS.join(", ")}.`,
  tags: ["exports"],
  auth: "project",
  query: filterQuerySchema.extend({ ...conversationFilterQuery.shape, ...hoursQuerySchema.shape }),
  responses: {
    200: { description: "a CSV file with a header row (Content-Disposition: attachment)", schema: csvSchema, type: "text/csv" },
  },
  errors: ["invalid_query", "invalid_range"],
});

conversationsExport.get("/conversations.csv", exportDoc, (c) => {
  const query = c.req.query();
  const f = parseFilters(query);
  const where = conversationWhere(query);
  const { hours } = parseOr400(hoursQuerySchema, query, "query");
  const project = c.get("project").id;
  const name = `conversations-${project}-${new Date(f.from).toISOString().slice(0, 10)}-${new Date(f.to).toISOString().slice(0, 10)}.csv`;
  const db = c.env.DB;
  let after: [number, string] | null = null;
  let done = false;
  // Pages of conversations opened in [from, to), by keyset on (opened_at, conversation_id); null when done.
  const next = async (): Promise<unknown[][] | null> => {
    if (done) return null;
    const q = listSql(where, after, "asc");
    const { results } = await db
      .prepare(q.sql)
      .bind(project, f.from, f.to, ...q.params, PAGE_SIZE)
      .all<DbRow>();
    const last = results.at(-1);
    if (results.length < PAGE_SIZE || !last) done = true;
    else after = [last.opened_at as number, last.conversation_id as string];
    return results.map((r) => csvValues(conversationRow(r, hours)));
  };
  return new Response(csvStream(HEADER, next), { headers: csvHeaders(name) });
});
