import { Hono } from "hono";
import { z } from "zod";
import { ApiError, parseOr400, readJson } from "../lib/http";
import { forgetProjects } from "../lib/projects";
import { isPhoneCountry } from "../lib/phone";
import { sha256Hex } from "../lib/tokens";
import { businessHoursSchema, projectCreatedSchema, projectSettingsSchema, type ProjectSettings } from "../contract";
import { requireAdmin, type ApiEnv } from "../lib/auth";
import { doc } from "../lib/openapi";

/** ISO 3166-1 alpha-2 code with a known numbering plan; lower case is accepted. */
export const defaultCountrySchema = z
  .string()
  .transform((v) => v.trim().toUpperCase())
  .refine(isPhoneCountry, "default_country must be an ISO 3166-1 alpha-2 country code with a phone numbering plan, e.g. KE");

const projectSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "id: lowercase letters, digits and -"),
  name: z.string().min(1).max(200),
  allowed_origins: z.array(z.union([z.literal("*"), z.url()])).default(["*"]),
  whatsapp_accounts: z.array(z.string().regex(/^(meta|twilio|chatwoot|crm):.+$/)).default([]),
  /** Country national phone numbers typed without country code are read in (ISO 3166-1 alpha-2, e.g. KE). */
  default_country: defaultCountrySchema.nullable().default(null),
  /** A short customer message this soon after a resolution is a follow-up, not a reopen. */
  follow_up_grace_seconds: z.number().int().min(0).max(86_400).default(600),
  /** The project's own hostnames: referrers from them are internal navigation. */
  internal_hosts: z
    .array(z.string().regex(/^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/, "a hostname"))
    .max(50)
    .default([]),
});

/** Admin-only routes: projects. */
export const adminApi = new Hono<ApiEnv>();

/** Creates or updates a project; returns a fresh read token (shown once, stored as a hash). */
const upsertDoc = doc({
  summary: "Create or update a project",
  description: "Returns a fresh read token, shown once and stored as a hash.",
  tags: ["admin"],
  auth: "admin",
  body: projectSchema,
  responses: { 201: { description: "the project and its read token", schema: projectCreatedSchema } },
  errors: ["invalid_json", "invalid_project"],
});

adminApi.post("/", upsertDoc, requireAdmin, async (c) => {
  const p = parseOr400(projectSchema, await readJson(c), "project");
  const token = "jrt_" + crypto.randomUUID().replaceAll("-", "");
  await c.env.DB.prepare(
    `INSERT INTO projects (id, name, allowed_origins, read_token_hash, whatsapp_accounts, follow_up_grace_seconds, internal_hosts, default_country)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, allowed_origins = excluded.allowed_origins,
       read_token_hash = excluded.read_token_hash, whatsapp_accounts = excluded.whatsapp_accounts,
       follow_up_grace_seconds = excluded.follow_up_grace_seconds, internal_hosts = excluded.internal_hosts,
       default_country = excluded.default_country`,
  )
    .bind(
      p.id,
      p.name,
      JSON.stringify(p.allowed_origins),
      await sha256Hex(token),
      JSON.stringify(p.whatsapp_accounts),
      p.follow_up_grace_seconds,
      JSON.stringify(p.internal_hosts.map((h) => h.toLowerCase())),
      p.default_country,
    )
    .run();
  forgetProjects();
  return c.json({ ...p, read_token: token }, 201);
});

/** The most a project may keep raw events: ten years. */
const MAX_RETENTION_DAYS = 3650;

const patchSchema = z
  .strictObject({
    name: projectSchema.shape.name.optional(),
    allowed_origins: projectSchema.shape.allowed_origins.unwrap().optional(),
    whatsapp_accounts: projectSchema.shape.whatsapp_accounts.unwrap().optional(),
    /** Days raw events are kept (the daily retention run deletes older ones; rollups stay); null keeps them. */
    retention_days: z.number().int().min(1).max(MAX_RETENTION_DAYS).nullable().optional(),
    follow_up_grace_seconds: projectSchema.shape.follow_up_grace_seconds.unwrap().optional(),
    internal_hosts: projectSchema.shape.internal_hosts.unwrap().optional(),
    /** Country national phone numbers typed without country code are read in; null: every number needs its +code. */
    default_country: defaultCountrySchema.nullable().optional(),
    /** Business hours (IANA zone, weekly open intervals, holidays) durations and SLA targets can be measured in; null: none. */
    business_hours: businessHoursSchema.nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, "give at least one setting to change");

const patchDoc = doc({
  summary: "Change a project's settings",
  description:
    "Any of name, allowed_origins, whatsapp_accounts, follow_up_grace_seconds (a short customer message this soon after a resolution " +
    "does not reopen), internal_hosts (the site's own hosts, not referrers), default_country (ISO 3166-1 alpha-2: the country typed " +
    "phone numbers without country code are read in; docs/whatsapp.md), business_hours (IANA timezone, weekly open intervals " +
    "per weekday as HH:MM, holidays as YYYY-MM-DD; null: every hour counts; docs/support-metrics.md) and retention_days (days raw events are kept, 1-3650; null keeps " +
    "them forever). Raw events older than the retention are deleted by the daily scheduled run; rollups stay (docs/privacy.md).",
  tags: ["admin"],
  auth: "admin",
  body: patchSchema,
  responses: { 200: { description: "the project's settings after the change", schema: projectSettingsSchema } },
  errors: ["invalid_json", "invalid_project", "unknown_project"],
});

type Row = {
  id: string;
  name: string;
  allowed_origins: string;
  whatsapp_accounts: string;
  retention_days: number | null;
  follow_up_grace_seconds: number;
  internal_hosts: string;
  default_country: string | null;
  business_hours: string | null;
};

adminApi.patch("/:project", patchDoc, requireAdmin, async (c) => {
  const id = c.req.param("project");
  const p = parseOr400(patchSchema, await readJson(c), "project");
  const set: string[] = [];
  const values: unknown[] = [];
  if (p.name !== undefined) set.push("name = ?"), values.push(p.name);
  if (p.allowed_origins !== undefined) set.push("allowed_origins = ?"), values.push(JSON.stringify(p.allowed_origins));
  if (p.whatsapp_accounts !== undefined) set.push("whatsapp_accounts = ?"), values.push(JSON.stringify(p.whatsapp_accounts));
  if (p.retention_days !== undefined) set.push("retention_days = ?"), values.push(p.retention_days);
  if (p.follow_up_grace_seconds !== undefined) set.push("follow_up_grace_seconds = ?"), values.push(p.follow_up_grace_seconds);
  if (p.internal_hosts !== undefined)
    set.push("internal_hosts = ?"), values.push(JSON.stringify(p.internal_hosts.map((h) => h.toLowerCase())));
  if (p.default_country !== undefined) set.push("default_country = ?"), values.push(p.default_country);
  if (p.business_hours !== undefined) set.push("business_hours = ?"), values.push(p.business_hours && JSON.stringify(p.business_hours));
  const row = await c.env.DB.prepare(
    `UPDATE projects SET ${set.join(", ")} WHERE id = ? RETURNING id, name, allowed_origins, whatsapp_accounts, retention_days, follow_up_grace_seconds, internal_hosts, default_country, business_hours`,
  )
    .bind(...values, id)
    .first<Row>();
  if (!row) throw new ApiError(404, "unknown_project", `project "${id}" does not exist`);
  forgetProjects();
  const answer: ProjectSettings = {
    id: row.id,
    name: row.name,
    allowed_origins: JSON.parse(row.allowed_origins) as string[],
    whatsapp_accounts: JSON.parse(row.whatsapp_accounts) as string[],
    retention_days: row.retention_days,
    follow_up_grace_seconds: row.follow_up_grace_seconds,
    internal_hosts: JSON.parse(row.internal_hosts) as string[],
    default_country: row.default_country,
    business_hours: row.business_hours ? businessHoursSchema.parse(JSON.parse(row.business_hours)) : null,
  };
  return c.json(answer);
});
