import { z } from "zod";
import { RESOLVERS } from "../conversations";
import { AGENT_STATUSES, CSAT_MAX, csatScoreSchema } from "../support";
import { isoTimeSchema, rateSchema } from "./shared";

/**
 * CSAT over one group of responses (docs/support-metrics.md): `average` of the scores, `satisfied`
 * the responses scoring 4 or 5, `satisfied_rate` = satisfied / responses; `scores[i]` counts score i + 1.
 */
export const csatGroupSchema = z.strictObject({
  responses: z.number().int().nonnegative(),
  average: z.number().nullable(),
  satisfied: z.number().int().nonnegative(),
  satisfied_rate: rateSchema,
  scores: z.array(z.number().int().nonnegative()).length(CSAT_MAX),
});
export type CsatGroup = z.infer<typeof csatGroupSchema>;

/** Outcomes a rated cycle can have: who resolved it, or `open` (not resolved, or no cycle known). */
export const CSAT_OUTCOMES = [...RESOLVERS, "open"] as const;

/**
 * `GET /csat`: responses submitted in the range, the latest per conversation cycle; overall, per agent
 * (the cycle's agent), bot vs human (cycles resolved by the bot vs by an agent) and per outcome.
 */
export const csatReportSchema = z.strictObject({
  overall: csatGroupSchema,
  agents: z.array(csatGroupSchema.extend({ agent_id: z.string() })),
  bot: csatGroupSchema,
  human: csatGroupSchema,
  outcomes: z.strictObject(
    Object.fromEntries(CSAT_OUTCOMES.map((o) => [o, csatGroupSchema])) as Record<(typeof CSAT_OUTCOMES)[number], typeof csatGroupSchema>,
  ),
});
export type CsatReport = z.infer<typeof csatReportSchema>;

/** A reply id (WhatsApp interactive button/list reply id, or template button payload). */
export const csatReplyIdSchema = z.string().min(1).max(256);

/** `GET|PUT /csat/replies`: the project's WhatsApp reply ids that are CSAT scores. */
export const csatRepliesSchema = z.strictObject({
  replies: z.record(csatReplyIdSchema, csatScoreSchema),
});
export type CsatReplies = z.infer<typeof csatRepliesSchema>;

/** Time (s) in each status and what the agent did while online, over the range (docs/support-metrics.md). */
export const availabilityFiguresSchema = z.strictObject({
  online_s: z.number().nonnegative(),
  away_s: z.number().nonnegative(),
  offline_s: z.number().nonnegative(),
  /** Online time during which the agent held at least one open conversation cycle. */
  busy_s: z.number().nonnegative(),
  /** busy_s / online_s, null with no online time. */
  occupancy: rateSchema,
  /** Cycles the agent resolved (resolved_by = agent) in the range. */
  resolutions: z.number().int().nonnegative(),
  /** resolutions / online hours, null with no online time. */
  handled_per_online_hour: z.number().nullable(),
});
export type AvailabilityFigures = z.infer<typeof availabilityFiguresSchema>;

/** `GET /agents/availability`: per agent with a known status in the range, and all agents together. */
export const agentAvailabilitySchema = z.strictObject({
  from: isoTimeSchema,
  /** The range's end, or now when the range runs into the future. */
  to: isoTimeSchema,
  overall: availabilityFiguresSchema,
  agents: z.array(availabilityFiguresSchema.extend({ agent_id: z.string(), status: z.enum(AGENT_STATUSES) })),
});
export type AgentAvailability = z.infer<typeof agentAvailabilitySchema>;
