import { Hono } from "hono";
import { z } from "zod";
import type { EventRecord } from "../contract";
import { parseOr400 } from "../lib/http";
import { uniquesPoints, uniquesStub } from "../rollups/uniques";
import { requireAdmin, type ApiEnv } from "./auth";

const rebuildSchema = z.object({
  /** The `next` of the previous call: "<timestamp>:<event_id>". */
  after: z.string().regex(/^\d+:.+$/, "after: the `next` cursor of the previous call").optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(1000),
});

/**
 * Admin: adds stored events to the project's distinct-count sketches, one keyset page per call
 * (`next` until null). For a database whose events predate the sketches, or after restoring D1
 * from a backup; adds are idempotent, so pages may be re-run or overlap live ingestion.
 */
export const sketchesApi = new Hono<ApiEnv>();
sketchesApi.use("*", requireAdmin);

sketchesApi.post("/rebuild", async (c) => {
  const { after, limit } = parseOr400(rebuildSchema, c.req.query(), "query");
  const projectId = c.get("project").id;
  const [ts, id] = after ? [Number(after.slice(0, after.indexOf(":"))), after.slice(after.indexOf(":") + 1)] : [-1, ""];
  const { results } = await c.env.DB.prepare(
    `SELECT * FROM events WHERE project_id = ? AND (timestamp > ? OR (timestamp = ? AND event_id > ?))
     ORDER BY timestamp, event_id LIMIT ?`,
  )
    .bind(projectId, ts, ts, id, limit)
    .all<EventRecord>();
  const points = uniquesPoints(results).get(projectId) ?? [];
  if (points.length) await uniquesStub(c.env, projectId).add(points);
  const last = results[results.length - 1];
  return c.json({ events: results.length, next: results.length === limit ? `${last.timestamp}:${last.event_id}` : null });
});
