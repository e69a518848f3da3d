import { Hono } from "hono";
import { z } from "zod";
import { parseOr400 } from "../../lib/http";
import type { ApiEnv } from "../auth";
import { dimensionSchema, parseFilters } from "../filters";
import { runFunnel } from "../funnels";
import { getFunnel } from "../funnels/store";
import { csvHeaders, csvStream } from "./csv";
import { EVENT_CSV_COLUMNS, eventPages } from "./events";

const funnelExportSchema = z.object({ funnel_id: z.string().min(1).max(100), breakdown: dimensionSchema.optional() }).loose();

/** CSV downloads, with the same filters as the stats endpoints. */
export const exportApi = new Hono<ApiEnv>();

exportApi.get("/events.csv", (c) => {
  const f = parseFilters(c.req.query());
  const project = c.get("project").id;
  return new Response(csvStream([...EVENT_CSV_COLUMNS], eventPages(c.env.DB, project, f)), { headers: csvHeaders(`events-${project}.csv`) });
});

/** One row per step (per breakdown value when `breakdown=` is given or saved). */
exportApi.get("/funnel.csv", async (c) => {
  const q = parseOr400(funnelExportSchema, c.req.query(), "query");
  const project = c.get("project").id;
  const funnel = await getFunnel(c.env.DB, project, q.funnel_id);
  const breakdown = q.breakdown ?? funnel.breakdown;
  const result = await runFunnel(c.env.DB, project, { ...funnel, breakdown }, parseFilters(c.req.query()));
  const groups = result.breakdown ?? [{ value: null, steps: result.steps }];
  const rows = groups.flatMap((g) =>
    g.steps.map((s, i) => [
      ...(breakdown ? [g.value] : []), i + 1, s.event, s.channel, s.count, s.conversion_from_first,
      s.conversion_from_previous, s.drop_off, s.median_seconds_to_convert,
    ]),
  );
  const header = [...(breakdown ? [breakdown] : []), "step", "event", "channel", "count", "conversion_from_first",
    "conversion_from_previous", "drop_off", "median_seconds_to_convert"];
  let sent = false;
  const next = async () => (sent ? null : ((sent = true), rows));
  return new Response(csvStream(header, next), { headers: csvHeaders(`funnel-${funnel.id}.csv`) });
});
