import { createMiddleware } from "hono/factory";
import type { TokenScope } from "../contract";
import type { AppEnv } from "./env";
import { ApiError } from "./http";
import { getProject, type Project } from "./projects";
import { safeEqual, sha256Hex } from "./tokens";

export type Principal = { admin: true } | { admin: false; projectId: string; scope: TokenScope; tokenId: string | null };
export type ApiEnv = AppEnv & { Variables: { principal: Principal; project: Project } };

function bearer(header: string | undefined): string {
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) throw new ApiError(401, "unauthorized", "missing bearer token", undefined, { "WWW-Authenticate": "Bearer" });
  return token;
}

const invalidToken = () => new ApiError(401, "unauthorized", "invalid token", undefined, { "WWW-Authenticate": "Bearer" });

/**
 * Requires the admin token or a project token; sets `principal`. Tokens are stored only as
 * SHA-256 hashes, so a token is looked up by its hash, on every request: a revoked token stops
 * working at once, in every isolate.
 */
export const authenticate = createMiddleware<ApiEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  if (c.env.ADMIN_TOKEN && (await safeEqual(token, c.env.ADMIN_TOKEN))) {
    c.set("principal", { admin: true });
    return next();
  }
  const hash = await sha256Hex(token);
  const [scoped, legacy] = await c.env.DB.batch<{ id: string; project_id: string; scope: TokenScope; revoked_at: number | null }>([
    c.env.DB.prepare("SELECT id, project_id, scope, revoked_at FROM project_tokens WHERE token_hash = ?").bind(hash),
    // The read token `POST /api/projects` returns.
    c.env.DB.prepare(
      "SELECT NULL AS id, id AS project_id, 'read' AS scope, NULL AS revoked_at FROM projects WHERE read_token_hash = ?",
    ).bind(hash),
  ]);
  const row = scoped.results[0] ?? legacy.results[0];
  if (!row || row.revoked_at !== null) throw invalidToken();
  c.set("principal", { admin: false, projectId: row.project_id, scope: row.scope, tokenId: row.id });
  return next();
});

/** True when the principal holds one of `scopes` (the admin token holds them all). */
export function hasScope(p: Principal, scopes: readonly TokenScope[]): boolean {
  return p.admin || scopes.includes(p.scope);
}

/** Requires one of `scopes` (or the admin token): 403 naming what the route needs. */
export const requireScope = (...scopes: TokenScope[]) =>
  createMiddleware<ApiEnv>(async (c, next) => {
    if (!hasScope(c.get("principal"), scopes)) {
      throw new ApiError(403, "forbidden", `this route needs a token with scope ${scopes.join(" or ")}`);
    }
    return next();
  });

/** Requires the admin token. */
export const requireAdmin = createMiddleware<ApiEnv>(async (c, next) => {
  if (!c.get("principal").admin) throw new ApiError(403, "forbidden", "admin token required");
  return next();
});

/** Scopes that may call every read route of a project. */
export const READ_SCOPES: readonly TokenScope[] = ["read", "write", "share"];

/**
 * Which scopes may call a project route, in one table: reads need a read scope, every change
 * needs `write`, except the routes listed here. Admin-only routes add `requireAdmin` on top.
 */
const EXCEPTIONS: { method: string; path: RegExp; scopes: readonly TokenScope[] }[] = [
  // Only reads: the query is a JSON body (a funnel definition), not a change.
  { method: "POST", path: /\/funnels\/query$/, scopes: READ_SCOPES },
  { method: "POST", path: /\/funnels\/query\/steps\/[^/]+\/people$/, scopes: READ_SCOPES },
  { method: "POST", path: /\/segments\/preview$/, scopes: READ_SCOPES },
  { method: "DELETE", path: /\/people$/, scopes: ["privacy"] },
];

/** The scopes a project route needs. */
export function scopesFor(method: string, path: string): readonly TokenScope[] {
  const rule = EXCEPTIONS.find((r) => r.method === method && r.path.test(path));
  if (rule) return rule.scopes;
  return method === "GET" || method === "HEAD" ? READ_SCOPES : ["write"];
}

/**
 * Resolves `:project`: 403 when the token belongs to another project or its scope does not allow
 * the route (`scopesFor`), 404 when the project does not exist.
 */
export const projectScope = createMiddleware<ApiEnv>(async (c, next) => {
  const id = c.req.param("project")!;
  const principal = c.get("principal");
  if (!principal.admin && principal.projectId !== id) throw new ApiError(403, "forbidden", `token may not read project "${id}"`);
  const scopes = scopesFor(c.req.method, c.req.path);
  if (!hasScope(principal, scopes)) throw new ApiError(403, "forbidden", `this route needs a token with scope ${scopes.join(" or ")}`);
  const project = await getProject(c.env.DB, id);
  if (!project) throw new ApiError(404, "unknown_project", `project "${id}" does not exist`);
  c.set("project", project);
  return next();
});
