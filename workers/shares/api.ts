import { Hono } from "hono";
import { z } from "zod";
import { shareCreatedSchema, shareRevokedSchema, sharesSchema, type Share } from "../contract";
import { requireAdmin, type ApiEnv } from "../lib/auth";
import { ApiError, parseOr400, readJson } from "../lib/http";
import { doc } from "../lib/openapi";
import { dashboardOrigin } from "../lib/origins";
import { sha256Hex } from "../lib/tokens";

const shareRequestSchema = z.object({
  name: z.string().min(1).max(200).default("shared dashboard"),
  /** The dashboard view (URL hash) the link opens, e.g. `#/overview?range=30d`; default the overview. */
  view: z.string().max(2000).startsWith("#/").nullish(),
});

type Row = { id: string; name: string; view: string | null; created_at: number; revoked_at: number | null };
const shown = (r: Row): Share => ({
  id: r.id,
  name: r.name,
  view: r.view,
  created_at: new Date(r.created_at).toISOString(),
  revoked_at: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
});

/** A share link: the dashboard the admin created it from (`dashboardOrigin`), opened at `view`. */
function shareUrl(origin: string, project: string, token: string, view: string | null): string {
  const q = new URLSearchParams({ project, share: token });
  return `${origin}/?${q}${view ?? "#/overview"}`;
}

/**
 * `/api/projects/:project/shares` (admin): read-only links to one project's dashboard, as
 * Plausible's shared links. A link carries a project token of scope `share`: it reads that
 * project's read routes and nothing else (no change, no other project, not these routes), and
 * stops working the moment it is revoked (tokens are checked by hash on every request).
 */
export const sharesApi = new Hono<ApiEnv>();
sharesApi.use("*", requireAdmin);

const TAGS = ["admin"];

const createDoc = doc({
  summary: "Create a read-only share link to the project's dashboard",
  description: "Answers the link's token and URL once (only a hash is stored). Optionally pinned to one dashboard view.",
  tags: TAGS,
  auth: "admin",
  body: shareRequestSchema,
  responses: { 201: { description: "the link, its token and its URL", schema: shareCreatedSchema } },
  errors: ["invalid_json", "invalid_token", "unknown_project"],
});

sharesApi.post("/", createDoc, async (c) => {
  const raw = (await c.req.raw.clone().text()).trim();
  const body = parseOr400(shareRequestSchema, raw ? await readJson(c) : {}, "token");
  const project = c.get("project").id;
  const id = crypto.randomUUID();
  // 256 random bits: the link is unguessable; the database keeps only its SHA-256.
  const token = "jts_" + crypto.randomUUID().replaceAll("-", "") + crypto.randomUUID().replaceAll("-", "");
  const row: Row = { id, name: body.name, view: body.view ?? null, created_at: Date.now(), revoked_at: null };
  await c.env.DB.prepare(
    "INSERT INTO project_tokens (id, project_id, scope, name, token_hash, view, created_at) VALUES (?, ?, 'share', ?, ?, ?, ?)",
  )
    .bind(id, project, row.name, await sha256Hex(token), row.view, row.created_at)
    .run();
  return c.json({ ...shown(row), token, url: shareUrl(dashboardOrigin(c.req.raw, c.env), project, token, row.view) }, 201);
});

const listDoc = doc({
  summary: "The project's share links (never their tokens)",
  tags: TAGS,
  auth: "admin",
  responses: { 200: { description: "newest first, revoked ones included", schema: sharesSchema } },
  errors: ["unknown_project"],
});

sharesApi.get("/", listDoc, async (c) => {
  const { results } = await c.env.DB.prepare(
    "SELECT id, name, view, created_at, revoked_at FROM project_tokens WHERE project_id = ? AND scope = 'share' ORDER BY created_at DESC, id LIMIT 500",
  )
    .bind(c.get("project").id)
    .all<Row>();
  return c.json({ shares: results.map(shown) });
});

const revokeDoc = doc({
  summary: "Revoke a share link",
  description: "Every request carrying its token answers 401 from then on.",
  tags: TAGS,
  auth: "admin",
  responses: { 200: { description: "revoked", schema: shareRevokedSchema } },
  errors: ["not_found", "unknown_project"],
});

sharesApi.delete("/:id", revokeDoc, async (c) => {
  const id = c.req.param("id");
  const r = await c.env.DB.prepare(
    "UPDATE project_tokens SET revoked_at = ? WHERE project_id = ? AND id = ? AND scope = 'share' AND revoked_at IS NULL",
  )
    .bind(Date.now(), c.get("project").id, id)
    .run();
  if (!r.meta.changes) throw new ApiError(404, "not_found", `no active share link ${id} in this project`);
  return c.json({ revoked: id });
});
