import { Hono } from "hono";
import { z } from "zod";
import {
  automationCreatedSchema,
  automationDryRunSchema,
  automationListSchema,
  automationRunDetailSchema,
  automationRunsSchema,
  automationSaveSchema,
  automationSchema,
  type AutomationDefinition,
} from "../contract";
import type { ApiEnv } from "../lib/auth";
import { ApiError, issuesOf, readJson } from "../lib/http";
import { doc } from "../lib/openapi";
import { loadTemplate } from "../lib/send";
import { parseCron } from "./cron";
import { dryRun } from "./dry-run";
import { forgetAutomations } from "./hand-off";
import { segments } from "./deps";
import { runDetail, runPage } from "./log";
import { createAutomation, deleteAutomation, getAutomation, listAutomations, publicAutomation, setStatus, updateAutomation } from "./store";

const dryRunSchema = z.strictObject({ days: z.number().int().min(1).max(90).default(7) });
const runsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(200).optional() });

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new ApiError(400, "invalid_automation", z.prettifyError(r.error), issuesOf(r.error));
  return r.data;
}

/** A definition whose segment (trigger audience) and every template it sends exist in the project. */
async function checked(db: D1Database, projectId: string, body: unknown) {
  const { name, ...def } = parse(automationSaveSchema, body);
  const t = def.trigger;
  if (t.type === "schedule" && t.cron && !parseCron(t.cron)) {
    throw new ApiError(400, "invalid_automation", `"${t.cron}" is not a five-field cron expression`, [
      { path: "trigger.cron", message: "minute hour day-of-month month day-of-week, each *, n, a-b, lists and /steps" },
    ]);
  }
  if (t.type !== "event" && !(await segments().definition(db, projectId, t.segment_id))) {
    throw new ApiError(400, "invalid_automation", `segment "${t.segment_id}" does not exist in this project`, [
      { path: "trigger.segment_id", message: "no such segment" },
    ]);
  }
  for (const [i, action] of def.actions.entries()) {
    if (action.type !== "send_template" || (await loadTemplate(db, projectId, action.template_id))) continue;
    throw new ApiError(400, "invalid_automation", `template "${action.template_id}" does not exist in this project`, [
      { path: `actions.${i}.template_id`, message: "no such template" },
    ]);
  }
  return { name, def: def as AutomationDefinition };
}

const tags = ["automations"];
const one = { 200: { description: "the automation", schema: automationSchema } };

/** Automations: a trigger, an optional wait and conditions, and actions; each run a Workflow instance. */
export const automationsApi = new Hono<ApiEnv>();

automationsApi.get(
  "/",
  doc({ summary: "Automations", tags, auth: "project", responses: { 200: { description: "newest first", schema: automationListSchema } } }),
  async (c) => c.json({ automations: (await listAutomations(c.env.DB, c.get("project").id)).map(publicAutomation) }),
);

automationsApi.post(
  "/",
  doc({
    summary: "Create an automation",
    description: "Answers the automation with its signing secret, shown this once (docs/automations.md).",
    tags,
    auth: "project",
    body: automationSaveSchema,
    responses: { 201: { description: "the automation and its secret", schema: automationCreatedSchema } },
    errors: ["invalid_json", "invalid_automation"],
  }),
  async (c) => {
    const { name, def } = await checked(c.env.DB, c.get("project").id, await readJson(c));
    const a = await createAutomation(c.env.DB, c.get("project").id, name, def);
    forgetAutomations();
    return c.json({ ...publicAutomation(a), secret: a.secret }, 201);
  },
);

automationsApi.get(
  "/:id",
  doc({ summary: "One automation", tags, auth: "project", responses: one, errors: ["automation_not_found"] }),
  async (c) => c.json(publicAutomation(await getAutomation(c.env.DB, c.get("project").id, c.req.param("id")))),
);

automationsApi.put(
  "/:id",
  doc({
    summary: "Replace an automation's definition",
    tags,
    auth: "project",
    body: automationSaveSchema,
    responses: one,
    errors: ["invalid_json", "invalid_automation", "automation_not_found"],
  }),
  async (c) => {
    const { name, def } = await checked(c.env.DB, c.get("project").id, await readJson(c));
    const a = await updateAutomation(c.env.DB, c.get("project").id, c.req.param("id"), name, def);
    forgetAutomations();
    return c.json(publicAutomation(a));
  },
);

automationsApi.delete(
  "/:id",
  doc({
    summary: "Delete an automation and its log",
    tags,
    auth: "project",
    responses: { 204: { description: "deleted" } },
    errors: ["automation_not_found"],
  }),
  async (c) => {
    await deleteAutomation(c.env.DB, c.get("project").id, c.req.param("id"));
    forgetAutomations();
    return c.body(null, 204);
  },
);

for (const [path, status] of [
  ["pause", "paused"],
  ["resume", "active"],
] as const) {
  automationsApi.post(
    `/:id/${path}`,
    doc({
      summary: path === "pause" ? "Pause: no new runs; runs under way skip their actions" : "Resume a paused automation",
      tags,
      auth: "project",
      responses: one,
      errors: ["automation_not_found"],
    }),
    async (c) => {
      const a = await setStatus(c.env.DB, c.get("project").id, c.req.param("id"), status);
      forgetAutomations();
      return c.json(publicAutomation(a));
    },
  );
}

automationsApi.post(
  "/:id/dry-run",
  doc({
    summary: "Who the automation would reach now",
    description:
      "Segment and schedule triggers: the segment's current members. Event triggers: matching events of the last `days` days (default 7) and their people. Nothing runs.",
    tags,
    auth: "project",
    body: dryRunSchema,
    responses: { 200: { description: "the people it would reach", schema: automationDryRunSchema } },
    errors: ["invalid_json", "invalid_automation", "automation_not_found"],
  }),
  async (c) => {
    // The body is optional (an empty one takes the default days); Hono keeps the text for readJson's second read.
    const { days } = parse(dryRunSchema, (await c.req.text()).trim() ? await readJson(c) : {});
    const a = await getAutomation(c.env.DB, c.get("project").id, c.req.param("id"));
    return c.json(await dryRun(c.env.DB, a, days));
  },
);

automationsApi.get(
  "/:id/runs",
  doc({
    summary: "The execution log: runs, newest first",
    tags,
    auth: "project",
    query: runsQuery,
    responses: { 200: { description: "a page of runs", schema: automationRunsSchema } },
    errors: ["invalid_automation", "automation_not_found"],
  }),
  async (c) => {
    const q = parse(runsQuery, c.req.query());
    const a = await getAutomation(c.env.DB, c.get("project").id, c.req.param("id"));
    return c.json(await runPage(c.env.DB, a.id, q.limit, q.cursor));
  },
);

automationsApi.get(
  "/:id/runs/:run",
  doc({
    summary: "One run and its steps",
    tags,
    auth: "project",
    responses: { 200: { description: "the run", schema: automationRunDetailSchema } },
    errors: ["automation_not_found"],
  }),
  async (c) => {
    const a = await getAutomation(c.env.DB, c.get("project").id, c.req.param("id"));
    return c.json(await runDetail(c.env.DB, a.id, c.req.param("run")));
  },
);
