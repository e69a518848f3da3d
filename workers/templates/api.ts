import { Hono } from "hono";
import { templateInputSchema, templateListSchema, templateSchema } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { parseOr400, readJson } from "../lib/http";
import { doc } from "../lib/openapi";
import { listTemplates } from "../lib/send";
import { createTemplate, deleteTemplate, getTemplate, updateTemplate } from "./store";

/** Templates: the provider templates campaigns send, with where each variable comes from. */
export const templatesApi = new Hono<ApiEnv>();

const tags = ["templates"];

templatesApi.get(
  "/",
  doc({ summary: "Message templates", tags, auth: "project", responses: { 200: { description: "by name", schema: templateListSchema } } }),
  async (c) => c.json({ templates: await listTemplates(c.env.DB, c.get("project").id) }),
);

templatesApi.post(
  "/",
  doc({
    summary: "Register a template",
    description: "Name and language as approved at the provider; each component lists its variables in `{{1}}, {{2}}…` order.",
    tags,
    auth: "project",
    body: templateInputSchema,
    responses: { 201: { description: "the template", schema: templateSchema } },
    errors: ["invalid_json", "invalid_template", "template_exists"],
  }),
  async (c) =>
    c.json(await createTemplate(c.env.DB, c.get("project").id, parseOr400(templateInputSchema, await readJson(c), "template")), 201),
);

templatesApi.get(
  "/:id",
  doc({
    summary: "One template",
    tags,
    auth: "project",
    responses: { 200: { description: "the template", schema: templateSchema } },
    errors: ["template_not_found"],
  }),
  async (c) => c.json(await getTemplate(c.env.DB, c.get("project").id, c.req.param("id"))),
);

templatesApi.put(
  "/:id",
  doc({
    summary: "Replace a template",
    tags,
    auth: "project",
    body: templateInputSchema,
    responses: { 200: { description: "the template", schema: templateSchema } },
    errors: ["invalid_json", "invalid_template", "template_not_found", "template_exists"],
  }),
  async (c) => {
    const t = parseOr400(templateInputSchema, await readJson(c), "template");
    return c.json(await updateTemplate(c.env.DB, c.get("project").id, c.req.param("id"), t));
  },
);

templatesApi.delete(
  "/:id",
  doc({
    summary: "Delete a template",
    tags,
    auth: "project",
    responses: { 204: { description: "deleted" } },
    errors: ["template_not_found"],
  }),
  async (c) => {
    await deleteTemplate(c.env.DB, c.get("project").id, c.req.param("id"));
    return c.body(null, 204);
  },
);
