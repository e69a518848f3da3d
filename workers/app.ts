import { Hono } from "hono";
import { api } from "./api";
import { capture } from "./capture";
import type { AppEnv } from "./env";
import { renderError } from "./lib/http";
import { webhooks } from "./webhooks";

/** The HTTP surface: each sub-app could become its own Worker by moving its folder. */
export const app = new Hono<AppEnv>();

app.get("/health", (c) => c.json({ ok: true }));
app.route("/", capture);
app.route("/webhooks", webhooks);
app.route("/api", api);
app.notFound((c) => c.json({ error: "not_found", message: `no route for ${c.req.method} ${c.req.path}` }, 404));
app.onError(renderError);
