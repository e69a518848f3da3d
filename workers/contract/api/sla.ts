import { z } from "zod";
import { SLA_TARGETS } from "../sla";

/** An SLA policy (`/sla/policies`): targets in seconds, optionally for one label and/or priority. */
export const slaPolicyOutSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  label: z.string().nullable(),
  priority: z.string().nullable(),
  first_response_s: z.number().int().positive().nullable(),
  resolution_s: z.number().int().positive().nullable(),
  /** Targets count the project's business hours only. */
  business_hours: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type SlaPolicyOut = z.infer<typeof slaPolicyOutSchema>;

export const slaPoliciesSchema = z.strictObject({ policies: z.array(slaPolicyOutSchema) });
export type SlaPolicies = z.infer<typeof slaPoliciesSchema>;

/** Cycles whose target was met or breached (pending ones are not counted); `met_rate` = met ÷ (met + breached). */
const slaTargetFiguresSchema = z.strictObject({
  met: z.number().int(),
  breached: z.number().int(),
  pending: z.number().int(),
  met_rate: z.number().nullable(),
});
const slaFiguresSchema = z.strictObject({
  cycles: z.number().int(),
  first_response: slaTargetFiguresSchema,
  resolution: slaTargetFiguresSchema,
});

/** `GET /sla`: SLA figures over the cycles opened in the range that a policy applied to, overall and per agent. */
export const slaReportSchema = z.strictObject({
  overall: slaFiguresSchema,
  agents: z.array(slaFiguresSchema.extend({ agent_id: z.string() })),
});
export type SlaReport = z.infer<typeof slaReportSchema>;

/** `GET /sla/at-risk`: open conversations whose target breaches within the window, or already did. */
export const slaAtRiskSchema = z.strictObject({
  within_minutes: z.number().int(),
  at: z.string(),
  conversations: z.array(
    z.strictObject({
      conversation_id: z.string(),
      external_id: z.string().nullable(),
      state: z.string(),
      agent_id: z.string().nullable(),
      cycle: z.number().int(),
      policy_id: z.string(),
      target: z.enum(SLA_TARGETS),
      due_at: z.string(),
      /** Seconds until the deadline; negative once breached. */
      seconds_left: z.number(),
      breached: z.boolean(),
    }),
  ),
});
export type SlaAtRisk = z.infer<typeof slaAtRiskSchema>;
