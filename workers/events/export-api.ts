import { Hono } from "hono";
import { csvSchema, EVENT_CSV_COLUMNS } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { doc } from "../lib/openapi";
import { filterQuerySchema, parseFilters } from "../lib/filters";
import { csvHeaders, csvStream } from "../lib/csv";
import { eventPages } from "./export";

/** The raw events as CSV, with the same filters as the stats endpoints. */
export const eventsExportApi = new Hono<ApiEnv>();

const exportDoc = doc({
  summary: "Raw events as CSV",
  description: `Oldest first, with the filters of the stats routes. Columns: ${EVENT_CSV_COLUMNS.join(", ")}.`,
  tags: ["exports"],
  auth: "project",
  query: filterQuerySchema,
  responses: {
    200: { description: "a CSV file with a header row (Content-Disposition: attachment)", schema: csvSchema, type: "text/csv" },
  },
  errors: ["invalid_query", "invalid_range"],
});

eventsExportApi.get("/events.csv", exportDoc, (c) => {
  const f = parseFilters(c.req.query());
  const project = c.get("project").id;
  return new Response(csvStream([...EVENT_CSV_COLUMNS], eventPages(c.env.DB, project, f)), {
    headers: csvHeaders(`events-${project}.csv`),
  });
});
