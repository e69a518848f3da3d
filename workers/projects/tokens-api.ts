import { Hono } from "hono";
import { z } from "zod";
import { projectTokenCreatedSchema, projectTokensSchema, TOKEN_SCOPES, tokenRevokedSchema } from "../contract";
import { requireAdmin, type ApiEnv } from "../lib/auth";
import { ApiError, badField, parseOr400, readJson } from "../lib/http";
import { doc } from "../lib/openapi";
import { sha256Hex } from "../lib/tokens";

const tokenRequestSchema = z.object({
  scope: z.enum(TOKEN_SCOPES),
  name: z.string().min(1).max(200).default("token"),
  /** Share links only: the dashboard view (URL hash, e.g. `#/overview?range=30d`) the link is pinned to. */
  view: z.string().max(2000).startsWith("#/").nullish(),
});

type TokenRow = { id: string; scope: string; name: string; view: string | null; created_at: number; revoked_at: number | null };
const shown = (r: TokenRow) => ({
  id: r.id,
  scope: r.scope,
  name: r.name,
  view: r.view,
  created_at: new Date(r.created_at).toISOString(),
  revoked_at: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
});

/** `/api/projects/:project/tokens`: scoped tokens and share links (admin). The secret is shown once, at creation. */
export const tokensApi = new Hono<ApiEnv>();
tokensApi.use("*", requireAdmin);

const TAGS = ["admin"];

const createDoc = doc({
  summary: "Create a scoped token or share link",
  tags: TAGS,
  auth: "admin",
  body: tokenRequestSchema,
  responses: { 201: { description: "the token and, this once, its secret", schema: projectTokenCreatedSchema } },
  errors: ["invalid_json", "invalid_token", "unknown_project"],
});

tokensApi.post("/", createDoc, async (c) => {
  const body = parseOr400(tokenRequestSchema, await readJson(c), "token");
  if (body.view && body.scope !== "share") throw badField("invalid_token", "view", "only share tokens can be pinned to a view");
  const id = crypto.randomUUID();
  const secret = `jt${body.scope[0]}_` + crypto.randomUUID().replaceAll("-", "") + crypto.randomUUID().replaceAll("-", "");
  const row: TokenRow = { id, scope: body.scope, name: body.name, view: body.view ?? null, created_at: Date.now(), revoked_at: null };
  await c.env.DB.prepare(
    "INSERT INTO project_tokens (id, project_id, scope, name, token_hash, view, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(id, c.get("project").id, row.scope, row.name, await sha256Hex(secret), row.view, row.created_at)
    .run();
  return c.json({ ...shown(row), token: secret }, 201);
});

const listDoc = doc({
  summary: "The project's tokens (never their secrets)",
  tags: TAGS,
  auth: "admin",
  responses: { 200: { description: "newest first, revoked ones included", schema: projectTokensSchema } },
  errors: ["unknown_project"],
});

tokensApi.get("/", listDoc, async (c) => {
  const { results } = await c.env.DB.prepare(
    "SELECT id, scope, name, view, created_at, revoked_at FROM project_tokens WHERE project_id = ? ORDER BY created_at DESC LIMIT 500",
  )
    .bind(c.get("project").id)
    .all<TokenRow>();
  return c.json({ tokens: results.map(shown) });
});

/** Revokes a token: every request carrying it is refused from then on (tokens are checked per request). */
const revokeDoc = doc({
  summary: "Revoke a token",
  tags: TAGS,
  auth: "admin",
  responses: { 200: { description: "revoked", schema: tokenRevokedSchema } },
  errors: ["not_found", "unknown_project"],
});

tokensApi.delete("/:id", revokeDoc, async (c) => {
  const r = await c.env.DB.prepare("UPDATE project_tokens SET revoked_at = ? WHERE project_id = ? AND id = ? AND revoked_at IS NULL")
    .bind(Date.now(), c.get("project").id, c.req.param("id"))
    .run();
  if (!r.meta.changes) throw new ApiError(404, "not_found", `no active token ${c.req.param("id")} in this project`);
  return c.json({ revoked: c.req.param("id") });
});
