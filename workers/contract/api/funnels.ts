import { z } from "zod";
import { CHANNELS } from "../events";
import { isoTimeSchema } from "./shared";

/** One step of a saved definition, as stored (see POST /funnels for what is accepted). */
export const funnelStepDefinitionSchema = z.strictObject({
  event: z.string(),
  channel: z.enum(CHANNELS).optional(),
  path: z.string().optional(),
  where: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type FunnelStepDefinition = z.infer<typeof funnelStepDefinitionSchema>;

/** `POST /funnels` (201), and each of `GET /funnels`: a saved definition. */
export const savedFunnelSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  steps: z.array(funnelStepDefinitionSchema),
  /** Conversion window in seconds from the first step. */
  window: z.number().int().positive(),
  breakdown: z.string().optional(),
  created_at: isoTimeSchema,
});
export type SavedFunnel = z.infer<typeof savedFunnelSchema>;

export const funnelListSchema = z.strictObject({ funnels: z.array(savedFunnelSchema) });
export type FunnelList = z.infer<typeof funnelListSchema>;

/** One step's numbers; conversions are 0–1 and null when the step before had nobody. */
export const funnelStepSchema = z.strictObject({
  event: z.string(),
  channel: z.string().nullable(),
  count: z.number().int().nonnegative(),
  conversion_from_first: z.number().nullable(),
  conversion_from_previous: z.number().nullable(),
  /** People lost since the previous step (0 for the first). */
  drop_off: z.number().int().nonnegative(),
  /** Median seconds from the previous step; null for the first step or when nobody converted. */
  median_seconds_to_convert: z.number().nullable(),
});
export type FunnelStep = z.infer<typeof funnelStepSchema>;

/** `POST /funnels/query`: steps, and per breakdown value (the entry event's) when a breakdown is asked. */
export const funnelResultSchema = z.strictObject({
  steps: z.array(funnelStepSchema),
  breakdown: z.array(z.strictObject({ value: z.string().nullable(), steps: z.array(funnelStepSchema) })).optional(),
});
export type FunnelResult = z.infer<typeof funnelResultSchema>;

/** `GET /funnels/{id}`: a saved funnel run over the range, with its definition. */
export const savedFunnelResultSchema = funnelResultSchema.extend({ funnel: savedFunnelSchema });
export type SavedFunnelResult = z.infer<typeof savedFunnelResultSchema>;
