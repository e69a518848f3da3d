import { Hono } from "hono";
import { z } from "zod";
import { sketchRebuildSchema, type EventRecord } from "../contract";
import { parseOr400 } from "../lib/http";
import { doc } from "../lib/openapi";
import { uniquesPoints, uniquesStub } from "./uniques";
import { requireAdmin, type ApiEnv } from "../lib/auth";

const rebuildSchema = z.object({
  /** The `next` of the previous call: "<timestamp>:<event_id>". */
  after: z
    .string()
    .regex(/^\d+:.+$/, "after: the `next` cursor of the previous call")
    .optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(1000),
  /** On the first call only: forget the existing sketches first (needed when the definition of a visitor or session changed). */
  reset: z.enum(["true", "false"]).default("false"),
});

/**
 * Admin: adds stored events to the project's distinct-count sketches, one keyset page per call
 * (`next` until null). For a database whose events predate the sketches, or after restoring D1
 * from a backup; adds are idempotent, so pages may be re-run or overlap live ingestion.
 */
export const sketchesApi = new Hono<ApiEnv>();
sketchesApi.use("*", requireAdmin);

const rebuildDoc = doc({
  summary: "Add stored events to the distinct-count sketches, one page per call",
  description:
    "Call again with `after=<next>` until `next` is null. Adds are idempotent. `reset=true` on the first call empties the sketches first (until the rebuild ends, counts are partial).",
  tags: ["admin"],
  auth: "admin",
  query: rebuildSchema,
  responses: { 200: { description: "events added and the next cursor", schema: sketchRebuildSchema } },
  errors: ["invalid_query", "unknown_project"],
});

sketchesApi.post("/rebuild", rebuildDoc, async (c) => {
  const { after, limit, reset } = parseOr400(rebuildSchema, c.req.query(), "query");
  const projectId = c.get("project").id;
  if (reset === "true" && !after) await uniquesStub(c.env, projectId).reset();
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
