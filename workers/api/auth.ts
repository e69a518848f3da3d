import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/http";
import { getProject, type Project } from "../lib/projects";
import { safeEqual, sha256Hex } from "../lib/tokens";

export type Principal = { admin: true } | { admin: false; projectId: string };
export type ApiEnv = AppEnv & { Variables: { principal: Principal; project: Project } };

function bearer(header: string | undefined): string {
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) throw new ApiError(401, "unauthorized", "missing bearer token", undefined, { "WWW-Authenticate": "Bearer" });
  return token;
}

/** Requires the admin token or a project read token; sets `principal`. */
export const authenticate = createMiddleware<ApiEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  if (c.env.ADMIN_TOKEN && (await safeEqual(token, c.env.ADMIN_TOKEN))) {
    c.set("principal", { admin: true });
    return next();
  }
  // Read tokens are stored only as SHA-256 hashes, so look the token up by its hash.
  const hash = await sha256Hex(token);
  const row = await c.env.DB.prepare("SELECT id FROM projects WHERE read_token_hash = ?").bind(hash).first<{ id: string }>();
  if (!row) throw new ApiError(401, "unauthorized", "invalid token", undefined, { "WWW-Authenticate": "Bearer" });
  c.set("principal", { admin: false, projectId: row.id });
  return next();
});

/** Requires the admin token. */
export const requireAdmin = createMiddleware<ApiEnv>(async (c, next) => {
  if (!c.get("principal").admin) throw new ApiError(403, "forbidden", "admin token required");
  return next();
});

/** Resolves `:project`: 403 when the token belongs to another project, 404 when it does not exist. */
export const projectScope = createMiddleware<ApiEnv>(async (c, next) => {
  const id = c.req.param("project")!;
  const principal = c.get("principal");
  if (!principal.admin && principal.projectId !== id) throw new ApiError(403, "forbidden", `token may not read project "${id}"`);
  const project = await getProject(c.env.DB, id);
  if (!project) throw new ApiError(404, "unknown_project", `project "${id}" does not exist`);
  c.set("project", project);
  return next();
});
