import { Hono } from "hono";
import { z } from "zod";
import { savedFunnelSchema as savedFunnelResponseSchema } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { ApiError, parseOr400, readJson } from "../lib/http";
import { doc } from "../lib/openapi";
import { savedFunnelSchema } from "./definition";
import { getFunnel, saveFunnel } from "./store";

/** Editing saved funnels: replace a definition, duplicate one (both need the `write` scope). */
export const funnelEditApi = new Hono<ApiEnv>();

const updateDoc = doc({
  summary: "Replace a saved funnel's name and definition",
  description: "The id and creation time stay; the body is the `POST /funnels` body.",
  tags: ["funnels"],
  auth: "project",
  body: savedFunnelSchema,
  responses: { 200: { description: "the funnel as saved now", schema: savedFunnelResponseSchema } },
  errors: ["invalid_json", "invalid_funnel", "funnel_not_found"],
});

funnelEditApi.put("/:id", updateDoc, async (c) => {
  const { name, ...def } = parseOr400(savedFunnelSchema, await readJson(c), "funnel");
  const projectId = c.get("project").id;
  const id = c.req.param("id");
  const r = await c.env.DB.prepare("UPDATE funnels SET name = ?, definition = ? WHERE project_id = ? AND id = ?")
    .bind(name, JSON.stringify(def), projectId, id)
    .run();
  if (!r.meta.changes) throw new ApiError(404, "funnel_not_found", `funnel "${id}" does not exist in this project`);
  return c.json(await getFunnel(c.env.DB, projectId, id));
});

const duplicateSchema = z.object({ name: z.string().min(1).max(200).optional() });

const duplicateDoc = doc({
  summary: "Duplicate a saved funnel",
  description: 'A copy under a fresh id, named `name` (default: the original\'s name + " (copy)"). The body may be empty.',
  tags: ["funnels"],
  auth: "project",
  body: duplicateSchema,
  responses: { 201: { description: "the copy", schema: savedFunnelResponseSchema } },
  errors: ["invalid_json", "invalid_funnel", "funnel_not_found"],
});

funnelEditApi.post("/:id/duplicate", duplicateDoc, async (c) => {
  const raw = (await c.req.text()).trim();
  const body = parseOr400(duplicateSchema, raw ? await readJsonText(raw) : {}, "funnel");
  const projectId = c.get("project").id;
  const { id: _id, name, created_at: _at, ...def } = await getFunnel(c.env.DB, projectId, c.req.param("id"));
  const copyName = body.name ?? `${name} (copy)`.slice(0, 200);
  return c.json(await saveFunnel(c.env.DB, projectId, copyName, def), 201);
});

async function readJsonText(raw: string): Promise<unknown> {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, "invalid_json", "body is not valid JSON");
  }
}
