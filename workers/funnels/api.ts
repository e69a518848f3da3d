import { Hono } from "hono";
import { parseOr400, readJson } from "../lib/http";
import { funnelListSchema, funnelResultSchema, savedFunnelResultSchema, savedFunnelSchema as savedFunnelResponseSchema } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { doc } from "../lib/openapi";
import { dimensionSchema, filterQuerySchema, parseFilters, type Filters } from "../lib/filters";
import { funnelQuerySchema, savedFunnelSchema, type FunnelDefinition } from "./definition";
import { funnelAggregate } from "./run";
import { deleteFunnel, getFunnel, listFunnels, saveFunnel } from "./store";
import { funnelResult } from "./summary";

/** Runs a definition over filters: the answer of POST /funnels/query and GET /funnels/:id. */
export async function runFunnel(db: D1Database, projectId: string, def: FunnelDefinition, f: Filters) {
  return funnelResult(def.steps, await funnelAggregate(db, projectId, def, f), def.breakdown);
}

/** Funnels: ad-hoc queries and saved definitions, counted per person across channels. */
export const funnelsApi = new Hono<ApiEnv>();

const RANGE_ERRORS = ["invalid_query", "invalid_range", "funnel_too_large"] as const;

const queryDoc = doc({
  summary: "Run a funnel definition",
  description: "A read (any read scope): counted per person across channels, within `window` seconds of entering step 1.",
  tags: ["funnels"],
  auth: "project",
  body: funnelQuerySchema,
  responses: { 200: { description: "per-step counts and conversion", schema: funnelResultSchema } },
  errors: ["invalid_json", "invalid_funnel", ...RANGE_ERRORS],
});

funnelsApi.post("/query", queryDoc, async (c) => {
  const q = parseOr400(funnelQuerySchema, await readJson(c), "funnel");
  const f = parseFilters({ ...q.filters, ...(q.from && { from: q.from }), ...(q.to && { to: q.to }), ...(q.tz && { tz: q.tz }) });
  return c.json(await runFunnel(c.env.DB, c.get("project").id, q, f));
});

const listDoc = doc({
  summary: "Saved funnels",
  tags: ["funnels"],
  auth: "project",
  responses: { 200: { description: "newest first", schema: funnelListSchema } },
});

funnelsApi.get("/", listDoc, async (c) => c.json({ funnels: await listFunnels(c.env.DB, c.get("project").id) }));

const saveDoc = doc({
  summary: "Save a funnel definition",
  tags: ["funnels"],
  auth: "project",
  body: savedFunnelSchema,
  responses: { 201: { description: "the saved funnel", schema: savedFunnelResponseSchema } },
  errors: ["invalid_json", "invalid_funnel"],
});

funnelsApi.post("/", saveDoc, async (c) => {
  const { name, ...def } = parseOr400(savedFunnelSchema, await readJson(c), "funnel");
  return c.json(await saveFunnel(c.env.DB, c.get("project").id, name, def), 201);
});

/** Runs a saved funnel over `from`/`to` and the usual filters; `breakdown=` overrides the saved one. */
const runDoc = doc({
  summary: "Run a saved funnel over a range",
  tags: ["funnels"],
  auth: "project",
  query: filterQuerySchema.extend({ breakdown: dimensionSchema.optional() }),
  responses: { 200: { description: "the funnel and its steps", schema: savedFunnelResultSchema } },
  errors: ["funnel_not_found", "invalid_breakdown", ...RANGE_ERRORS],
});

funnelsApi.get("/:id", runDoc, async (c) => {
  const funnel = await getFunnel(c.env.DB, c.get("project").id, c.req.param("id"));
  const f = parseFilters(c.req.query());
  const bd = c.req.query("breakdown");
  const breakdown = bd ? parseOr400(dimensionSchema, bd, "breakdown") : funnel.breakdown;
  return c.json({ funnel, ...(await runFunnel(c.env.DB, c.get("project").id, { ...funnel, breakdown }, f)) });
});

const deleteDoc = doc({
  summary: "Delete a saved funnel",
  tags: ["funnels"],
  auth: "project",
  responses: { 204: { description: "deleted" } },
  errors: ["funnel_not_found"],
});

funnelsApi.delete("/:id", deleteDoc, async (c) => {
  await deleteFunnel(c.env.DB, c.get("project").id, c.req.param("id"));
  return c.body(null, 204);
});
