import { Hono } from "hono";
import { z } from "zod";
import { conversationIdFor, parsePhone } from "../lib/phone";
import { handshakeStub } from "./redeem";
import { ApiError, badField, parseOr400, readJson } from "../lib/http";
import { getProject } from "../lib/projects";
import { sha256Hex } from "../lib/tokens";
import {
  CONVERSATION_ID_MAX,
  handshakeIssuedSchema,
  handshakeStatsSchema,
  isBsuid,
  WHATSAPP_ID_MAX,
  type HandshakeIssued,
  type HandshakeStats,
} from "../contract";
import { requireScope, type ApiEnv } from "../lib/auth";
import { doc } from "../lib/openapi";

const MAX_TTL_SECONDS = 30 * 86_400;

const issueSchema = z.object({
  project: z.string().min(1).max(64),
  /** A WhatsApp business-scoped user id, or a phone as typed (read with the project's default_country). */
  external_id: z.string().trim().min(1).max(WHATSAPP_ID_MAX),
  conversation_id: z.string().min(1).max(CONVERSATION_ID_MAX).optional(),
  ttl_seconds: z.number().int().min(1).max(MAX_TTL_SECONDS).optional(),
});

/** The contact a handshake is for: a BSUID as given, else the phone in E.164; 400 when it is neither. */
function contactId(raw: string, defaultCountry: string | null): string {
  if (isBsuid(raw)) return raw;
  const phone = parsePhone(raw, defaultCountry);
  if (!phone.ok)
    throw badField("invalid_handshake", "external_id", `external_id must be a phone number or a WhatsApp user id (BSUID): ${phone.error}`);
  return phone.e164;
}

/** 24 random bytes as base64url: 192 bits, unguessable, URL-safe. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return (
    "hs_" +
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "")
  );
}

/** `POST /api/handshakes`: a bot asks for a one-time link tying its WhatsApp contact to the web visitor who opens it. */
export const handshakesApi = new Hono<ApiEnv>();

const issueDoc = doc({
  summary: "Issue a one-time handshake link",
  description: "A bot asks for a link tying its WhatsApp contact to the web visitor who opens it (`hs_token` on the URL).",
  tags: ["identity"],
  auth: { scopes: ["write", "bot"] },
  body: issueSchema,
  responses: { 201: { description: "the token, its link and when it expires", schema: handshakeIssuedSchema } },
  errors: ["invalid_json", "invalid_handshake", "unknown_project"],
});

handshakesApi.post("/", issueDoc, requireScope("write", "bot"), async (c) => {
  const body = parseOr400(issueSchema, await readJson(c), "handshake");
  const principal = c.get("principal");
  if (!principal.admin && principal.projectId !== body.project) {
    throw new ApiError(403, "forbidden", `token may not issue handshakes for project "${body.project}"`);
  }
  const project = await getProject(c.env.DB, body.project);
  if (!project) throw new ApiError(404, "unknown_project", `project "${body.project}" does not exist`);
  const contact = contactId(body.external_id, project.defaultCountry);

  const ttl = body.ttl_seconds ?? (Number(c.env.HANDSHAKE_TTL_SECONDS) || 86_400);
  const token = newToken();
  const issuedAt = Date.now();
  const handshake = {
    project_id: body.project,
    external_id: contact,
    conversation_id: body.conversation_id ?? conversationIdFor(body.project, contact),
    issued_at: issuedAt,
    expires_at: issuedAt + ttl * 1000,
  };
  await handshakeStub(c.env, token).issue(handshake);
  // Only the hash is kept in D1, for stats: the token itself lives in its Durable Object alone. The
  // object's id lets an erasure of the contact reach the token (docs/privacy.md).
  const objectId = c.env.HANDSHAKES.idFromName(token).toString();
  await c.env.DB.prepare(
    "INSERT INTO handshakes (token_hash, project_id, external_id, conversation_id, issued_at, expires_at, object_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(
      await sha256Hex(token),
      handshake.project_id,
      handshake.external_id,
      handshake.conversation_id,
      issuedAt,
      handshake.expires_at,
      objectId,
    )
    .run();
  const url = new URL(c.env.WEBVIEW_URL);
  url.searchParams.set("hs_token", token);
  return c.json(
    {
      token,
      expires_at: new Date(handshake.expires_at).toISOString(),
      url: url.toString(),
      conversation_id: handshake.conversation_id,
      external_id: handshake.external_id,
    } satisfies HandshakeIssued,
    201,
  );
});

/** `GET /api/projects/:project/handshakes/stats`: issued tokens and the outcome of every redemption attempt. */
export const handshakeStatsApi = new Hono<ApiEnv>();

const statsDoc = doc({
  summary: "Handshakes issued and the outcome of every redemption attempt",
  tags: ["identity"],
  auth: "project",
  responses: { 200: { description: "counts", schema: handshakeStatsSchema } },
});

handshakeStatsApi.get("/stats", statsDoc, async (c) => {
  const project = c.get("project").id;
  const [issued, outcomes] = await c.env.DB.batch<{ outcome?: string; n: number }>([
    c.env.DB.prepare("SELECT count(*) AS n FROM handshakes WHERE project_id = ?").bind(project),
    c.env.DB.prepare("SELECT outcome, count(*) AS n FROM handshake_attempts WHERE project_id = ? GROUP BY outcome").bind(project),
  ]);
  const counts = { redeemed: 0, expired: 0, unknown: 0, reused: 0 };
  for (const r of outcomes.results) if (r.outcome && r.outcome in counts) counts[r.outcome as keyof typeof counts] = r.n;
  return c.json({
    issued: issued.results[0]?.n ?? 0,
    ...counts,
    rejected: counts.expired + counts.unknown + counts.reused,
  } satisfies HandshakeStats);
});
