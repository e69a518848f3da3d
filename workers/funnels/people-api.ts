import { Hono } from "hono";
import { funnelStepPeopleSchema } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { dimensionSchema, filterQuerySchema, parseFilters } from "../lib/filters";
import { parseOr400, readJson } from "../lib/http";
import { doc } from "../lib/openapi";
import { funnelQuerySchema } from "./definition";
import { stepNumberSchema, stepPeople, stepPeopleQuerySchema } from "./people";
import { personPaths } from "./run";
import { getFunnel } from "./store";

/** The people behind a funnel step's count or drop-off, for saved and ad-hoc funnels. */
export const funnelPeopleApi = new Hono<ApiEnv>();

const ERRORS = ["invalid_query", "invalid_range", "invalid_cursor", "funnel_too_large"] as const;
const DESCRIPTION =
  "`outcome=converted`: who reached step n (its `count`); `outcome=dropped`: who reached step n-1 but not n (its `drop_off`). " +
  "`breakdown_value` keeps one breakdown group. Ordered by person id; `total` equals the figure.";

const savedDoc = doc({
  summary: "The people behind a saved funnel's step",
  description: DESCRIPTION + " Takes the range and filters `GET /funnels/{id}` takes.",
  tags: ["funnels"],
  auth: "project",
  query: filterQuerySchema.extend({ ...stepPeopleQuerySchema.shape, breakdown: dimensionSchema.optional() }),
  responses: { 200: { description: "a page of people, and the cursor of the next", schema: funnelStepPeopleSchema } },
  errors: ["funnel_not_found", "invalid_breakdown", ...ERRORS],
});

funnelPeopleApi.get("/:id/steps/:n/people", savedDoc, async (c) => {
  const n = parseOr400(stepNumberSchema, c.req.param("n"), "query");
  const q = parseOr400(stepPeopleQuerySchema, c.req.query(), "query");
  const projectId = c.get("project").id;
  const funnel = await getFunnel(c.env.DB, projectId, c.req.param("id"));
  const bd = c.req.query("breakdown");
  const breakdown = bd ? parseOr400(dimensionSchema, bd, "breakdown") : funnel.breakdown;
  const paths = await personPaths(c.env.DB, projectId, { ...funnel, breakdown }, parseFilters(c.req.query()));
  return c.json(stepPeople(paths, funnel.steps.length, n, q));
});

const adhocDoc = doc({
  summary: "The people behind an ad-hoc funnel's step",
  description: DESCRIPTION + " The body is the `POST /funnels/query` body; paging is in the query string. A read.",
  tags: ["funnels"],
  auth: "project",
  query: stepPeopleQuerySchema,
  body: funnelQuerySchema,
  responses: { 200: { description: "a page of people, and the cursor of the next", schema: funnelStepPeopleSchema } },
  errors: ["invalid_json", "invalid_funnel", ...ERRORS],
});

funnelPeopleApi.post("/query/steps/:n/people", adhocDoc, async (c) => {
  const n = parseOr400(stepNumberSchema, c.req.param("n"), "query");
  const q = parseOr400(stepPeopleQuerySchema, c.req.query(), "query");
  const body = parseOr400(funnelQuerySchema, await readJson(c), "funnel");
  const f = parseFilters({
    ...body.filters,
    ...(body.from && { from: body.from }),
    ...(body.to && { to: body.to }),
    ...(body.tz && { tz: body.tz }),
  });
  const paths = await personPaths(c.env.DB, c.get("project").id, body, f);
  return c.json(stepPeople(paths, body.steps.length, n, q));
});
