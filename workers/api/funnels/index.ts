import { Hono } from "hono";
import { parseOr400, readJson } from "../../lib/http";
import type { ApiEnv } from "../auth";
import { dimensionSchema, parseFilters, type Filters } from "../filters";
import { funnelQuerySchema, savedFunnelSchema, type FunnelDefinition } from "./definition";
import { personPaths } from "./run";
import { deleteFunnel, getFunnel, listFunnels, saveFunnel } from "./store";
import { funnelResult } from "./summary";

/** Runs a definition over filters: the answer of POST /funnels/query and GET /funnels/:id. */
export async function runFunnel(db: D1Database, projectId: string, def: FunnelDefinition, f: Filters) {
  return funnelResult(def.steps, await personPaths(db, projectId, def, f), def.breakdown);
}

/** Funnels: ad-hoc queries and saved definitions, counted per person across channels. */
export const funnelsApi = new Hono<ApiEnv>();

funnelsApi.post("/query", async (c) => {
  const q = parseOr400(funnelQuerySchema, await readJson(c), "funnel");
  const f = parseFilters({ ...q.filters, ...(q.from && { from: q.from }), ...(q.to && { to: q.to }), ...(q.tz && { tz: q.tz }) });
  return c.json(await runFunnel(c.env.DB, c.get("project").id, q, f));
});

funnelsApi.get("/", async (c) => c.json({ funnels: await listFunnels(c.env.DB, c.get("project").id) }));

funnelsApi.post("/", async (c) => {
  const { name, ...def } = parseOr400(savedFunnelSchema, await readJson(c), "funnel");
  return c.json(await saveFunnel(c.env.DB, c.get("project").id, name, def), 201);
});

/** Runs a saved funnel over `from`/`to` and the usual filters; `breakdown=` overrides the saved one. */
funnelsApi.get("/:id", async (c) => {
  const funnel = await getFunnel(c.env.DB, c.get("project").id, c.req.param("id"));
  const f = parseFilters(c.req.query());
  const bd = c.req.query("breakdown");
  const breakdown = bd ? parseOr400(dimensionSchema, bd, "breakdown") : funnel.breakdown;
  return c.json({ funnel, ...(await runFunnel(c.env.DB, c.get("project").id, { ...funnel, breakdown }, f)) });
});

funnelsApi.delete("/:id", async (c) => {
  await deleteFunnel(c.env.DB, c.get("project").id, c.req.param("id"));
  return c.body(null, 204);
});
