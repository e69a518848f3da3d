import { Hono } from "hono";
import { adminApi } from "./admin";
import { authenticate, projectScope, type ApiEnv } from "./auth";
import { eventsApi } from "./events";
import { liveApi, liveTokenFromQuery } from "./live";
import { whatsappApi } from "./whatsapp";

/** The authenticated API (DESIGN.md §3). Project routes are scoped by `projectScope`. */
export const api = new Hono<ApiEnv>();

api.use("/projects/:project/live", liveTokenFromQuery);
api.use("*", authenticate);
api.use("/projects/:project/*", projectScope);
api.route("/projects/:project/events", eventsApi);
api.route("/projects/:project/live", liveApi);
api.route("/projects/:project/whatsapp", whatsappApi);
api.route("/", adminApi);
