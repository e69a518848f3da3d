import { Hono } from "hono";
import { cors } from "hono/cors";
import { healthSchema } from "./contract";
import { api } from "./api";
import { capture } from "./capture";
import type { AppEnv } from "./lib/env";
import { renderError } from "./lib/http";
import { doc, openApiDocument } from "./lib/openapi";
import { allowedOrigins } from "./lib/origins";
import { webhooks } from "./webhooks";

/** The HTTP surface: each sub-app could become its own Worker by moving its folder. */
export const app = new Hono<AppEnv>();

const openApi = openApiDocument(app, {
  title: "Junction",
  version: "1",
  description: "Web + WhatsApp journey analytics: capture, webhooks and the dashboard API. See docs/api.md.",
});

// The dashboard may be served from another origin (Cloudflare Pages): `DASHBOARD_ORIGIN` (comma-separated)
// lists the origins whose browsers may call /api. Registered first, so a preflight is answered before
// authentication (a preflight carries no token).
app.use(
  "/api/*",
  cors({
    origin: (origin, c) => (allowedOrigins(c.env.DASHBOARD_ORIGIN).includes(origin) ? origin : null),
    allowMethods: ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
    allowHeaders: ["authorization", "content-type"],
    exposeHeaders: ["content-disposition", "retry-after"],
    maxAge: 86_400,
  }),
);
app.get(
  "/health",
  doc({
    summary: "Liveness check",
    tags: ["meta"],
    auth: "public",
    responses: { 200: { description: "the Worker runs", schema: healthSchema } },
  }),
  (c) => c.json({ ok: true as const }),
);
// Public, and registered before the authenticated `/api` so its middleware never sees it.
app.get(
  "/api/openapi.json",
  doc({ summary: "This OpenAPI 3.1 document", tags: ["meta"], auth: "public", responses: { 200: { description: "the document" } } }),
  async (c) => c.json(await openApi()),
);
app.route("/", capture);
app.route("/webhooks", webhooks);
app.route("/api", api);
app.notFound((c) => c.json({ error: "not_found", message: `no route for ${c.req.method} ${c.req.path}` }, 404));
app.onError(renderError);
