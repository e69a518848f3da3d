import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../lib/http";
import { liveStub } from "../live/notify";
import type { ApiEnv } from "./auth";

/**
 * Browsers cannot set headers on a WebSocket, so the live socket may carry its token as
 * `?access_token=`. Mounted before `authenticate` on the socket route only; a real
 * Authorization header always wins.
 */
export const liveTokenFromQuery = createMiddleware<ApiEnv>(async (c, next) => {
  const token = c.req.query("access_token");
  if (token && !c.req.header("authorization")) {
    const headers = new Headers(c.req.raw.headers);
    headers.set("authorization", `Bearer ${token}`);
    c.req.raw = new Request(c.req.raw, { headers });
  }
  return next();
});

/** `/api/projects/:project/live`: the dashboard's WebSocket and a JSON snapshot of the same numbers. */
export const liveApi = new Hono<ApiEnv>();

liveApi.get("/", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "connect with a WebSocket (Upgrade: websocket)", undefined, { Upgrade: "websocket" });
  }
  const project = c.get("project").id;
  // The DO learns its project from the URL (idFromName does not tell it its name).
  const url = new URL("https://live.internal/socket");
  url.searchParams.set("project", project);
  return liveStub(c.env, project).fetch(new Request(url, c.req.raw));
});

liveApi.get("/snapshot", async (c) => {
  const project = c.get("project").id;
  return c.json(await liveStub(c.env, project).snapshot(project));
});
