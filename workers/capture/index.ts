import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import {
  bodyWithinDepth,
  captureBatchSchema,
  captureEventSchema,
  captureResponseSchema,
  inTimeWindow,
  MAX_BODY_DEPTH,
  TIME_WINDOW_TEXT,
  type QueueMessageInput,
} from "../contract";
import type { AppEnv } from "../lib/env";
import { ApiError, badField, parseOr400, readJson } from "../lib/http";
import { doc } from "../lib/openapi";
import { getProject, originAllowed } from "../lib/projects";
import { enqueue } from "../lib/queue";
import { boundedUserAgent, captureMessage, geoFrom, type CaptureRequest } from "./normalize";
import { z } from "zod";

/** 256 KB: 100 events of 2.5 KB each, and one Queue sendBatch's worth. Documented in the README. */
export const CAPTURE_MAX_BYTES = 256 * 1024;

export const capture = new Hono<AppEnv>();

capture.use(
  "/capture",
  cors({ origin: (origin) => origin || "*", allowMethods: ["POST", "OPTIONS"], allowHeaders: ["Content-Type"], maxAge: 86400 }),
  bodyLimit({
    maxSize: CAPTURE_MAX_BYTES,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `body exceeds ${CAPTURE_MAX_BYTES} bytes`);
    },
  }),
);

const captureDoc = doc({
  summary: "Send a batch of web events",
  description:
    "Takes application/json or text/plain (sendBeacon). Each event is validated on its own: valid ones are queued, " +
    "invalid ones are named in `rejected`. Events are keyed by `event_id`, so a retried batch is stored once.",
  tags: ["capture"],
  auth: "public",
  body: captureBatchSchema.extend({ events: z.array(captureEventSchema).min(1).max(100) }),
  responses: {
    202: { description: "at least one event was queued", schema: captureResponseSchema },
  },
  errors: [
    "invalid_json",
    "value_too_deep",
    "invalid_batch",
    "no_valid_events",
    "unknown_capture_project",
    "origin_not_allowed",
    "payload_too_large",
    "rate_limited",
    "queue_unavailable",
  ],
});

capture.post("/capture", captureDoc, async (c) => {
  const receivedAt = Date.now();
  const body = await readJson(c);
  // Checked before anything walks the body recursively (zod's error messages, JSON.stringify).
  if (!bodyWithinDepth(body))
    throw new ApiError(400, "value_too_deep", `body nests deeper than ${MAX_BODY_DEPTH} levels (limit MAX_BODY_DEPTH)`);
  const batch = parseOr400(captureBatchSchema, body, "batch");
  if (!inTimeWindow(Date.parse(batch.sent_at), receivedAt))
    throw badField("invalid_batch", "sent_at", `sent_at must be ${TIME_WINDOW_TEXT}`);

  const project = await getProject(c.env.DB, batch.project);
  if (!project) throw new ApiError(403, "unknown_capture_project", `project "${batch.project}" does not exist`);
  if (!originAllowed(project, c.req.header("origin"))) {
    throw new ApiError(403, "origin_not_allowed", `origin ${c.req.header("origin")} may not send to "${project.id}"`);
  }

  // Keyed per project and client; the IP is only a key here and is never stored.
  const client = c.req.header("cf-connecting-ip") ?? "unknown";
  const { success } = await c.env.CAPTURE_LIMITER.limit({ key: `${project.id}:${client}` });
  if (!success) throw new ApiError(429, "rate_limited", "too many requests; retry later", undefined, { "Retry-After": "60" });

  const cf = c.req.raw.cf as { botManagement?: { score?: unknown; verifiedBot?: unknown } } | undefined;
  const score = cf?.botManagement?.score;
  const verified = cf?.botManagement?.verifiedBot;
  const req: CaptureRequest = {
    projectId: project.id,
    sentAt: batch.sent_at,
    receivedAt,
    geo: geoFrom(c.req.raw.cf as IncomingRequestCfProperties | undefined),
    userAgent: boundedUserAgent(c.req.header("user-agent")),
    botScore: typeof score === "number" && Number.isFinite(score) ? score : null,
    verifiedBot: typeof verified === "boolean" ? verified : null,
  };
  const messages: QueueMessageInput[] = [];
  const rejected: { index: number; error: string }[] = [];
  const sizes: number[] = [];
  batch.events.forEach((raw, index) => {
    const built = captureMessage(raw, req);
    if ("error" in built) return void rejected.push({ index, error: built.error });
    messages.push(built.message);
    sizes.push(built.size);
  });
  if (!messages.length) throw new ApiError(400, "no_valid_events", "no event in the batch is valid", { rejected });

  await enqueue(c.env.EVENTS, messages, sizes);
  return c.json({ accepted: messages.length, rejected }, 202);
});
