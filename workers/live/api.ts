import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { liveSnapshotSchema } from "../contract";
import { ApiError } from "../lib/http";
import { doc } from "../lib/openapi";
import { liveStub } from "./notify";
import type { ApiEnv } from "../lib/auth";

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

const socketDoc = doc({
  summary: "The live view's WebSocket",
  description:
    "Pushes a live snapshot on every change. Browsers may pass the token as `?access_token=` (a WebSocket cannot carry headers).",
  tags: ["live"],
  auth: "project",
  responses: { 101: { description: "switching to a WebSocket that sends live snapshots as JSON text" } },
  errors: ["upgrade_required"],
});

liveApi.get("/", socketDoc, async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "connect with a WebSocket (Upgrade: websocket)", undefined, { Upgrade: "websocket" });
  }
  const project = c.get("project").id;
  // The DO learns its project from the URL (idFromName does not tell it its name).
  const url = new URL("https://live.internal/socket");
  url.searchParams.set("project", project);
  return liveStub(c.env, project).fetch(new Request(url, c.req.raw));
});

const snapshotDoc = doc({
  summary: "Visitors and conversations active now",
  tags: ["live"],
  auth: "project",
  responses: { 200: { description: "the live numbers", schema: liveSnapshotSchema } },
});

liveApi.get("/snapshot", snapshotDoc, async (c) => {
  const project = c.get("project").id;
  return c.json(await liveStub(c.env, project).snapshot(project));
});
