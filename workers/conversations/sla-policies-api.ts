import { Hono } from "hono";
import { z } from "zod";
import { slaPoliciesSchema, slaPolicyOutSchema, type SlaPolicies } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { ApiError, parseOr400, readJson } from "../lib/http";
import { doc } from "../lib/openapi";
import { forgetPolicies, POLICY_COLUMNS, policyOut, type PolicyRow } from "./sla-policies";

// Targets up to a year: a longer one is a typo, and its deadline would be further than an alarm reaches.
const target = z.number().int().min(1).max(31_536_000).nullable().default(null);

const policySchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    /** Applies to conversations with this label (else to all). */
    label: z.string().min(1).max(100).nullable().default(null),
    /** Applies to conversations with this priority (`properties.priority` of their events; else to all). */
    priority: z.string().min(1).max(50).nullable().default(null),
    first_response_s: target,
    resolution_s: target,
    /** Targets count the project's business hours only (default); false: every hour. */
    business_hours: z.boolean().default(true),
  })
  .refine((p) => p.first_response_s !== null || p.resolution_s !== null, {
    message: "give first_response_s or resolution_s",
    path: ["first_response_s"],
  });

const idSchema = z.string().regex(/^sla_[a-z0-9]{1,40}$/);

/** `/api/projects/:project/sla/policies`: SLA policies (changes need the write scope). */
export const slaPoliciesApi = new Hono<ApiEnv>();

const notFound = (id: string) => new ApiError(404, "sla_policy_not_found", `no SLA policy "${id}" in this project`);
const policyId = (raw: string) => {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) throw notFound(raw);
  return parsed.data;
};
const description =
  "Targets in seconds (first response and/or resolution), optionally for one label and/or priority; the most specific match applies " +
  "to a conversation (docs/support-metrics.md). A change applies to open cycles when their conversation next changes; closed cycles keep theirs.";

slaPoliciesApi.get(
  "/",
  doc({
    summary: "SLA policies",
    tags: ["sla"],
    auth: "project",
    responses: { 200: { description: "in creation order", schema: slaPoliciesSchema } },
  }),
  async (c) => {
    const { results } = await c.env.DB.prepare(`SELECT ${POLICY_COLUMNS} FROM sla_policies WHERE project_id = ? ORDER BY created_at, id`)
      .bind(c.get("project").id)
      .all<PolicyRow>();
    return c.json({ policies: results.map(policyOut) } satisfies SlaPolicies);
  },
);

slaPoliciesApi.post(
  "/",
  doc({
    summary: "Create an SLA policy",
    description,
    tags: ["sla"],
    auth: "project",
    body: policySchema,
    responses: { 201: { description: "the policy", schema: slaPolicyOutSchema } },
    errors: ["invalid_json", "invalid_sla_policy"],
  }),
  async (c) => {
    const p = parseOr400(policySchema, await readJson(c), "sla_policy");
    const now = Date.now();
    const row = await c.env.DB.prepare(
      `INSERT INTO sla_policies (project_id, id, name, label, priority, first_response_s, resolution_s, business_hours, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${POLICY_COLUMNS}`,
    )
      .bind(
        c.get("project").id,
        "sla_" + crypto.randomUUID().replaceAll("-", "").slice(0, 20),
        p.name,
        p.label,
        p.priority,
        p.first_response_s,
        p.resolution_s,
        Number(p.business_hours),
        now,
        now,
      )
      .first<PolicyRow>();
    forgetPolicies();
    return c.json(policyOut(row!), 201);
  },
);

slaPoliciesApi.get(
  "/:id",
  doc({
    summary: "One SLA policy",
    tags: ["sla"],
    auth: "project",
    responses: { 200: { description: "the policy", schema: slaPolicyOutSchema } },
    errors: ["sla_policy_not_found"],
  }),
  async (c) => {
    const id = policyId(c.req.param("id"));
    const row = await c.env.DB.prepare(`SELECT ${POLICY_COLUMNS} FROM sla_policies WHERE project_id = ? AND id = ?`)
      .bind(c.get("project").id, id)
      .first<PolicyRow>();
    if (!row) throw notFound(id);
    return c.json(policyOut(row));
  },
);

slaPoliciesApi.put(
  "/:id",
  doc({
    summary: "Replace an SLA policy",
    description,
    tags: ["sla"],
    auth: "project",
    body: policySchema,
    responses: { 200: { description: "the policy", schema: slaPolicyOutSchema } },
    errors: ["invalid_json", "invalid_sla_policy", "sla_policy_not_found"],
  }),
  async (c) => {
    const id = policyId(c.req.param("id"));
    const p = parseOr400(policySchema, await readJson(c), "sla_policy");
    const row = await c.env.DB.prepare(
      `UPDATE sla_policies SET name = ?, label = ?, priority = ?, first_response_s = ?, resolution_s = ?, business_hours = ?, updated_at = ?
       WHERE project_id = ? AND id = ? RETURNING ${POLICY_COLUMNS}`,
    )
      .bind(p.name, p.label, p.priority, p.first_response_s, p.resolution_s, Number(p.business_hours), Date.now(), c.get("project").id, id)
      .first<PolicyRow>();
    if (!row) throw notFound(id);
    forgetPolicies();
    return c.json(policyOut(row));
  },
);

slaPoliciesApi.delete(
  "/:id",
  doc({
    summary: "Delete an SLA policy",
    tags: ["sla"],
    auth: "project",
    responses: { 204: { description: "deleted" } },
    errors: ["sla_policy_not_found"],
  }),
  async (c) => {
    const id = policyId(c.req.param("id"));
    const res = await c.env.DB.prepare("DELETE FROM sla_policies WHERE project_id = ? AND id = ?").bind(c.get("project").id, id).run();
    if (!res.meta.changes) throw notFound(id);
    forgetPolicies();
    return c.body(null, 204);
  },
);
