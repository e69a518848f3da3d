import { z } from "zod";

const ms = z.number().int().nullable();
const times = z.array(z.number().int()).max(1000);

/** A cycle's durations counted in the project's business hours only (ms; see docs/support-metrics.md). */
export const businessDurationsSchema = z.object({
  first_response_ms: ms,
  bot_first_response_ms: ms,
  handoff_wait_ms: ms,
  queue_wait_ms: ms,
  handle_time_ms: ms,
  resolution_time_ms: ms,
  response_times: times,
  bot_response_times: times,
});
export type BusinessDurations = z.infer<typeof businessDurationsSchema>;

/** Where a target stands: the deadline has not passed yet, it was met, or it was breached. */
export const SLA_STATUSES = ["pending", "met", "breached"] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];
export const SLA_TARGETS = ["first_response", "resolution"] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

/** The SLA policy that applied to a cycle and, per target, its deadline and status (null: the target does not apply). */
export const cycleSlaSchema = z.object({
  policy_id: z.string().max(64),
  first_response: z.enum(SLA_STATUSES).nullable(),
  first_response_due_at: ms,
  resolution: z.enum(SLA_STATUSES).nullable(),
  resolution_due_at: ms,
});
export type CycleSla = z.infer<typeof cycleSlaSchema>;

/** The event the conversation's Durable Object records when a target's deadline passes unmet. */
export const SLA_BREACHED_EVENT = "sla_breached";
