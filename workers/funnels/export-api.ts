import { Hono } from "hono";
import { z } from "zod";
import { csvSchema, FUNNEL_CSV_COLUMNS } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { doc } from "../lib/openapi";
import { csvHeaders, csvStream } from "../lib/csv";
import { dimensionSchema, filterQuerySchema, parseFilters } from "../lib/filters";
import { parseOr400 } from "../lib/http";
import { runFunnel } from "./api";
import { getFunnel } from "./store";

const funnelExportSchema = z.object({ funnel_id: z.string().min(1).max(100), breakdown: dimensionSchema.optional() }).loose();

/** A saved funnel as CSV: one row per step (per breakdown value when `breakdown=` is given or saved). */
export const funnelExportApi = new Hono<ApiEnv>();

const exportDoc = doc({
  summary: "A saved funnel as CSV",
  description: `One row per step (per breakdown value when a breakdown is given or saved). Columns: [breakdown], ${FUNNEL_CSV_COLUMNS.join(", ")}.`,
  tags: ["exports"],
  auth: "project",
  query: filterQuerySchema.extend(funnelExportSchema.shape),
  responses: {
    200: { description: "a CSV file with a header row (Content-Disposition: attachment)", schema: csvSchema, type: "text/csv" },
  },
  errors: ["invalid_query", "invalid_range", "funnel_not_found", "funnel_too_large"],
});

funnelExportApi.get("/funnel.csv", exportDoc, async (c) => {
  const q = parseOr400(funnelExportSchema, c.req.query(), "query");
  const project = c.get("project").id;
  const funnel = await getFunnel(c.env.DB, project, q.funnel_id);
  const breakdown = q.breakdown ?? funnel.breakdown;
  const result = await runFunnel(c.env.DB, project, { ...funnel, breakdown }, parseFilters(c.req.query()));
  const groups = result.breakdown ?? [{ value: null, steps: result.steps }];
  const rows = groups.flatMap((g) =>
    g.steps.map((s, i) => [
      ...(breakdown ? [g.value] : []),
      i + 1,
      s.event,
      s.channel,
      s.count,
      s.conversion_from_first,
      s.conversion_from_previous,
      s.drop_off,
      s.median_seconds_to_convert,
    ]),
  );
  const header = [...(breakdown ? [breakdown] : []), ...FUNNEL_CSV_COLUMNS];
  let sent = false;
  const next = async () => (sent ? null : ((sent = true), rows));
  return new Response(csvStream(header, next), { headers: csvHeaders(`funnel-${funnel.id}.csv`) });
});
