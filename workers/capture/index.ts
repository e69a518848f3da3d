import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { captureBatchSchema, captureEventSchema, MAX_EVENT_BYTES, type QueueMessageInput } from "../contract";
import type { AppEnv } from "../env";
import { ApiError, parseOr400, readJson } from "../lib/http";
import { getProject, originAllowed } from "../lib/projects";
import { enqueue } from "../lib/queue";
import { geoFrom, toRecord } from "./normalize";
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

capture.post("/capture", async (c) => {
  const receivedAt = Date.now();
  const batch = parseOr400(captureBatchSchema, await readJson(c), "batch");

  const project = await getProject(c.env.DB, batch.project);
  if (!project) throw new ApiError(403, "unknown_project", `project "${batch.project}" does not exist`);
  if (!originAllowed(project, c.req.header("origin"))) {
    throw new ApiError(403, "origin_not_allowed", `origin ${c.req.header("origin")} may not send to "${project.id}"`);
  }

  // Keyed per project and client; the IP is only a key here and is never stored.
  const client = c.req.header("cf-connecting-ip") ?? "unknown";
  const { success } = await c.env.CAPTURE_LIMITER.limit({ key: `${project.id}:${client}` });
  if (!success) throw new ApiError(429, "rate_limited", "too many requests; retry later", undefined, { "Retry-After": "60" });

  const geo = geoFrom(c.req.raw.cf as IncomingRequestCfProperties | undefined);
  const cf = c.req.raw.cf as { botManagement?: { score?: number; verifiedBot?: boolean } } | undefined;
  const userAgent = c.req.header("user-agent") ?? null;
  const messages: QueueMessageInput[] = [];
  const rejected: { index: number; error: string }[] = [];
  const sizes: number[] = [];
  batch.events.forEach((raw, index) => {
    const parsed = captureEventSchema.safeParse(raw);
    if (!parsed.success) return void rejected.push({ index, error: z.prettifyError(parsed.error) });
    const message: QueueMessageInput = {
      kind: "event",
      event: toRecord(parsed.data, project.id, batch.sent_at, receivedAt, geo),
      user_agent: userAgent,
      bot_score: cf?.botManagement?.score ?? null,
      verified_bot: cf?.botManagement?.verifiedBot ?? null,
    };
    const size = JSON.stringify(message).length;
    if (size > MAX_EVENT_BYTES) return void rejected.push({ index, error: `event exceeds ${MAX_EVENT_BYTES} bytes of JSON` });
    messages.push(message);
    sizes.push(size);
  });
  if (!messages.length) throw new ApiError(400, "no_valid_events", "no event in the batch is valid", { rejected });

  await enqueue(c.env.EVENTS, messages, sizes);
  return c.json({ accepted: messages.length, rejected }, 202);
});
