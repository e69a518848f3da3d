import { Hono } from "hono";
import { adminApi } from "./admin";
import { authenticate, projectScope, type ApiEnv } from "./auth";
import { eventsApi } from "./events";
import { deliveriesApi } from "../webhooks/deliveries-api";
import { handshakesApi, handshakeStatsApi } from "./handshakes";
import { timelineApi } from "./timeline";
import { liveApi, liveTokenFromQuery } from "./live";
import { whatsappApi } from "./whatsapp";
import { agentsApi } from "./agents";
import { conversationsExport } from "./export/conversations";
import { statsApi } from "./stats";
import { funnelsApi } from "./funnels";
import { exportApi } from "./export";
import { sketchesApi } from "./sketches";

/** The authenticated API (DESIGN.md §3). Project routes are scoped by `projectScope`. */
export const api = new Hono<ApiEnv>();

api.use("/projects/:project/live", liveTokenFromQuery);
api.use("*", authenticate);
api.use("/projects/:project/*", projectScope);
api.route("/projects/:project/events", eventsApi);
api.route("/projects/:project/webhooks/deliveries", deliveriesApi);
api.route("/projects/:project/live", liveApi);
api.route("/projects/:project/whatsapp", whatsappApi);
api.route("/projects/:project/agents", agentsApi);
api.route("/projects/:project/export", conversationsExport);
api.route("/projects/:project/stats", statsApi);
api.route("/projects/:project/funnels", funnelsApi);
api.route("/projects/:project/export", exportApi);
api.route("/projects/:project/timeline", timelineApi);
api.route("/projects/:project/handshakes", handshakeStatsApi);
api.route("/projects/:project/sketches", sketchesApi);
api.route("/handshakes", handshakesApi);
api.route("/", adminApi);
