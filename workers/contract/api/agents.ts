import { z } from "zod";
import { distributionSchema, isoTimeSchema, rateSchema } from "./shared";

/**
 * Counts and durations (s) over conversation cycles an agent held (docs/support-metrics.md):
 * `resolutions` are the agent's own (`resolved_by = agent`), `resolution_rate` = resolutions / conversations;
 * first response runs from the first customer message no human answered, `handoff_wait` from the handoff.
 */
export const agentMetricsSchema = z.strictObject({
  conversations: z.number().int().nonnegative(),
  resolutions: z.number().int().nonnegative(),
  resolution_rate: rateSchema,
  queue_wait: distributionSchema,
  first_response: distributionSchema,
  handoff_wait: distributionSchema,
  handle_time: distributionSchema,
  resolution_time: distributionSchema,
});
export type AgentMetrics = z.infer<typeof agentMetricsSchema>;

export const agentRowSchema = agentMetricsSchema.extend({ agent_id: z.string() });
export type AgentRow = z.infer<typeof agentRowSchema>;

/** `GET /agents`: overall and per agent (each conversation counted for the agent holding it last). */
export const agentsSchema = z.strictObject({ overall: agentMetricsSchema, agents: z.array(agentRowSchema) });
export type Agents = z.infer<typeof agentsSchema>;

/** `GET /agents/queue`: conversations waiting for an agent now, longest wait first (at most 500 listed). */
export const agentQueueSchema = z.strictObject({
  waiting: z.array(
    z.strictObject({
      conversation_id: z.string(),
      external_id: z.string().nullable(),
      queued_at: isoTimeSchema.nullable(),
      waiting_seconds: z.number().int().nonnegative().nullable(),
    }),
  ),
  /** Every conversation waiting, also those past the listed 500. */
  count: z.number().int().nonnegative(),
  oldest_seconds: z.number().int().nonnegative().nullable(),
});
export type AgentQueue = z.infer<typeof agentQueueSchema>;

/** Response-time buckets, in order: lower bound inclusive, upper exclusive (seconds; null = unbounded). */
export const RESPONSE_BUCKETS = [
  { label: "< 1 m", min_s: 0, max_s: 60 },
  { label: "1–5 m", min_s: 60, max_s: 300 },
  { label: "5–15 m", min_s: 300, max_s: 900 },
  { label: "15–60 m", min_s: 900, max_s: 3600 },
  { label: "1–4 h", min_s: 3600, max_s: 14_400 },
  { label: "4–24 h", min_s: 14_400, max_s: 86_400 },
  { label: "> 24 h", min_s: 86_400, max_s: null },
] as const;

const bucketCounts = z.array(z.number().int().nonnegative()).length(RESPONSE_BUCKETS.length);

/** `GET /agents/response-buckets`: every response (human and bot) per bucket, per channel and per agent. */
export const responseBucketsSchema = z.strictObject({
  buckets: z.array(z.strictObject({ label: z.string(), min_s: z.number(), max_s: z.number().nullable() })),
  channels: z.array(z.strictObject({ channel: z.string(), human: bucketCounts, bot: bucketCounts })),
  agents: z.array(z.strictObject({ agent_id: z.string(), human: bucketCounts })),
});
export type ResponseBuckets = z.infer<typeof responseBucketsSchema>;
