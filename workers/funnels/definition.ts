import { z } from "zod";
import { CHANNELS, eventNameSchema } from "../contract";
import { dimensionSchema, propKeySchema } from "../lib/filters";

/**
 * A funnel: ordered steps, each an event name with optional channel, page path and property
 * equality filters (`where`), completed by one PERSON (identity links join WhatsApp and web)
 * within `window` seconds of entering step 1.
 */
export const stepSchema = z.object({
  event: eventNameSchema,
  channel: z.enum(CHANNELS).optional(),
  /** Page path the event must carry (e.g. the page_view of /returns/mri). */
  path: z.string().min(1).max(1024).optional(),
  where: z
    .record(propKeySchema, z.union([z.string().max(256), z.number(), z.boolean()]))
    .refine((w) => Object.keys(w).length <= 10, "where holds at most 10 properties")
    .optional(),
});
export type Step = z.infer<typeof stepSchema>;

const MAX_WINDOW = 90 * 86_400;
/** Documented in docs/rollups.md: past it a funnel answers 400, never 5xx. */
export const MAX_STEPS = 20;

export const funnelDefinitionSchema = z.object({
  steps: z.array(stepSchema).min(2, "a funnel has at least 2 steps").max(MAX_STEPS, `a funnel has at most ${MAX_STEPS} steps`),
  /** Conversion window in seconds, from the first step. */
  window: z.number().int().min(1).max(MAX_WINDOW).default(86_400),
  breakdown: dimensionSchema.optional(),
});
export type FunnelDefinition = z.infer<typeof funnelDefinitionSchema>;

/** A saved funnel (POST /funnels). */
export const savedFunnelSchema = funnelDefinitionSchema.extend({ name: z.string().min(1).max(200) });

const dateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** POST /funnels/query: a definition plus the range; `filters` are the query-string filters (entry step). */
export const funnelQuerySchema = funnelDefinitionSchema.extend({
  from: dateOrTime.optional(),
  to: dateOrTime.optional(),
  tz: z.string().max(64).optional(),
  filters: z.record(z.string(), z.string()).optional(),
});
