import { Hono } from "hono";
import { z } from "zod";
import { conversationIdFor, toE164 } from "../lib/phone";
import { handshakeStub } from "../identity/redeem";
import { ApiError, parseOr400, readJson } from "../lib/http";
import { getProject } from "../lib/projects";
import { sha256Hex } from "../lib/tokens";
import type { ApiEnv } from "./auth";

const MAX_TTL_SECONDS = 30 * 86_400;

const issueSchema = z.object({
  project: z.string().min(1).max(64),
  external_id: z.string().max(40).transform((v, ctx) => {
    const e164 = toE164(v);
    if (!e164) ctx.addIssue({ code: "custom", message: "external_id must be a phone number (E.164, e.g. +254712345678)" });
    return e164 ?? z.NEVER;
  }),
  conversation_id: z.string().min(1).max(200).optional(),
  ttl_seconds: z.number().int().min(1).max(MAX_TTL_SECONDS).optional(),
});

/** 24 random bytes as base64url: 192 bits, unguessable, URL-safe. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return "hs_" + btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** `POST /api/handshakes`: a bot asks for a one-time link tying its WhatsApp contact to the web visitor who opens it. */
export const handshakesApi = new Hono<ApiEnv>();

handshakesApi.post("/", async (c) => {
  const body = parseOr400(issueSchema, await readJson(c), "handshake");
  const principal = c.get("principal");
  if (!principal.admin && principal.projectId !== body.project) {
    throw new ApiError(403, "forbidden", `token may not issue handshakes for project "${body.project}"`);
  }
  if (!(await getProject(c.env.DB, body.project))) throw new ApiError(404, "unknown_project", `project "${body.project}" does not exist`);

  const ttl = body.ttl_seconds ?? (Number(c.env.HANDSHAKE_TTL_SECONDS) || 86_400);
  const token = newToken();
  const issuedAt = Date.now();
  const handshake = {
    project_id: body.project,
    external_id: body.external_id,
    conversation_id: body.conversation_id ?? conversationIdFor(body.project, body.external_id),
    issued_at: issuedAt,
    expires_at: issuedAt + ttl * 1000,
  };
  await handshakeStub(c.env, token).issue(handshake);
  // Only the hash is kept in D1, for stats: the token itself lives in its Durable Object alone.
  await c.env.DB.prepare(
    "INSERT INTO handshakes (token_hash, project_id, external_id, conversation_id, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
  )
    .bind(await sha256Hex(token), handshake.project_id, handshake.external_id, handshake.conversation_id, issuedAt, handshake.expires_at)
    .run();
  const url = new URL(c.env.WEBVIEW_URL);
  url.searchParams.set("hs_token", token);
  return c.json(
    { token, expires_at: new Date(handshake.expires_at).toISOString(), url: url.toString(), conversation_id: handshake.conversation_id, external_id: handshake.external_id },
    201,
  );
});

/** `GET /api/projects/:project/handshakes/stats`: issued tokens and the outcome of every redemption attempt. */
export const handshakeStatsApi = new Hono<ApiEnv>();

handshakeStatsApi.get("/stats", async (c) => {
  const project = c.get("project").id;
  const [issued, outcomes] = await c.env.DB.batch<{ outcome?: string; n: number }>([
    c.env.DB.prepare("SELECT count(*) AS n FROM handshakes WHERE project_id = ?").bind(project),
    c.env.DB.prepare("SELECT outcome, count(*) AS n FROM handshake_attempts WHERE project_id = ? GROUP BY outcome").bind(project),
  ]);
  const counts = { redeemed: 0, expired: 0, unknown: 0, reused: 0 };
  for (const r of outcomes.results) if (r.outcome && r.outcome in counts) counts[r.outcome as keyof typeof counts] = r.n;
  return c.json({ issued: issued.results[0]?.n ?? 0, ...counts, rejected: counts.expired + counts.unknown + counts.reused });
});
