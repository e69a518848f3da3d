import { z } from "zod";
import { CHANNELS } from "../events";
import { isoTimeSchema } from "./shared";

/** An event property or contact attribute key: also the JSON path segment it is read from. */
export const segmentKeySchema = z.string().regex(/^[A-Za-z0-9_$:-]{1,64}$/, "keys: letters, digits and _ $ : -");
const scalar = z.union([z.string().max(500), z.number(), z.boolean()]);

export const SEGMENT_OPS = ["eq", "neq", "gt", "gte", "lt", "lte", "contains", "exists", "not_exists"] as const;

/** One property (or trait) test: `exists`/`not_exists` take no value, every other op needs one. */
export const propertyFilterSchema = z
  .strictObject({ property: segmentKeySchema, op: z.enum(SEGMENT_OPS).default("eq"), value: scalar.optional() })
  .refine((f) => f.op === "exists" || f.op === "not_exists" || f.value !== undefined, {
    message: "value is required for this op",
    path: ["value"],
  });

/** An event a condition matches: its name, optionally its channel and property filters (all must hold). */
export const eventMatchSchema = z.strictObject({
  event: z.string().min(1).max(200),
  channel: z.enum(CHANNELS).optional(),
  where: z.array(propertyFilterSchema).max(10).optional(),
});

/** A time range: absolute `from`/`to` (ISO) and/or the last `within_days` days before evaluation. */
const range = {
  from: isoTimeSchema.optional(),
  to: isoTimeSchema.optional(),
  within_days: z.number().int().min(1).max(3650).optional(),
};

export const segmentConditionSchema = z.discriminatedUnion("type", [
  /** Did (or did not) do an event, at least `min_count` times, in the range. */
  z.strictObject({
    type: z.literal("event"),
    ...eventMatchSchema.shape,
    did: z.boolean().default(true),
    min_count: z.number().int().min(1).max(1000).default(1),
    ...range,
  }),
  /** Did `first` in the range, then did (or did not) do `then` within `within_seconds` after the first `first`. */
  z.strictObject({
    type: z.literal("event_after"),
    first: eventMatchSchema,
    then: eventMatchSchema,
    within_seconds: z
      .number()
      .int()
      .min(1)
      .max(365 * 86_400),
    did: z.boolean().default(true),
    ...range,
  }),
  /** Reached step `reached` (1-based) of the ordered steps, entered in the range, but not the next within `window_seconds`. */
  z.strictObject({
    type: z.literal("funnel_step"),
    steps: z.array(eventMatchSchema).min(2).max(10),
    reached: z.number().int().min(1),
    window_seconds: z
      .number()
      .int()
      .min(1)
      .max(365 * 86_400),
    ...range,
  }),
  /** A contact attribute (`name` or a key of the imported attributes). */
  z.strictObject({ type: z.literal("trait"), trait: segmentKeySchema, op: z.enum(SEGMENT_OPS).default("eq"), value: scalar.optional() }),
  /** Has (or has not) a WhatsApp identity. */
  z.strictObject({ type: z.literal("reachable"), channel: z.literal("whatsapp").default("whatsapp"), value: z.boolean().default(true) }),
  /** Consent state of the person's WhatsApp contact; `unknown` = never opted in or out. */
  z.strictObject({ type: z.literal("consent"), state: z.enum(["opted_in", "opted_out", "unknown"]) }),
  /** Is (or is not) on a static list an automation's `add_to_list` keeps. */
  z.strictObject({ type: z.literal("list"), list: segmentKeySchema, member: z.boolean().default(true) }),
  /** Last event (either channel) within the last `within_days` days, or none for more than `more_than_days`. */
  z.strictObject({
    type: z.literal("last_seen"),
    within_days: z.number().int().min(1).max(3650).optional(),
    more_than_days: z.number().int().min(1).max(3650).optional(),
  }),
]);
export type SegmentCondition = z.infer<typeof segmentConditionSchema>;

export const MAX_SEGMENT_CONDITIONS = 20;

/**
 * A segment's definition: every (`all`) or any (`any`) condition holds. This is the shape as stored
 * and answered; what a client sends is also checked by `segmentDefinitionInputSchema`.
 */
export const segmentDefinitionSchema = z.strictObject({
  match: z.enum(["all", "any"]).default("all"),
  conditions: z.array(segmentConditionSchema).min(1).max(MAX_SEGMENT_CONDITIONS),
});
export type SegmentDefinition = z.infer<typeof segmentDefinitionSchema>;

/**
 * What no person can ever match, or what cannot be evaluated, in one condition: each problem with
 * its path inside the condition. A range `from` not before `to`, a `last_seen` that asks for a
 * person seen in the last `within_days` days yet not in the last `more_than_days` (≥ within_days),
 * a funnel `reached` past its steps, a trait test without its value.
 */
function conditionProblems(c: SegmentCondition): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if ("from" in c && c.from !== undefined && c.to !== undefined && Date.parse(c.from) >= Date.parse(c.to))
    out.push({ path: "from", message: "from must be before to" });
  if (c.type === "last_seen" && c.within_days !== undefined && c.more_than_days !== undefined && c.more_than_days >= c.within_days)
    out.push({
      path: "more_than_days",
      message: "more_than_days must be less than within_days (seen in the last within_days days, but not in the last more_than_days)",
    });
  if (c.type === "funnel_step" && c.reached > c.steps.length) out.push({ path: "reached", message: "reached must be a step of steps" });
  if (c.type === "trait" && c.op !== "exists" && c.op !== "not_exists" && c.value === undefined)
    out.push({ path: "value", message: "value is required for this op" });
  return out;
}

/**
 * A definition as a client sends it (segments, segment previews, automation conditions): the shape,
 * and no condition that can never match. Stored definitions are read with the plain shape, so one
 * saved before a rule existed still reads.
 */
export const segmentDefinitionInputSchema = segmentDefinitionSchema.superRefine((def, ctx) => {
  def.conditions.forEach((c, i) => {
    for (const p of conditionProblems(c)) ctx.addIssue({ code: "custom", path: ["conditions", i, p.path], message: p.message });
  });
});

/** `POST/PUT /segments` answer and each of `GET /segments`. */
export const segmentSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  definition: segmentDefinitionSchema,
  created_at: isoTimeSchema,
  updated_at: isoTimeSchema,
});
export type Segment = z.infer<typeof segmentSchema>;
export const segmentListSchema = z.strictObject({ segments: z.array(segmentSchema) });

/** One member: the person id, their WhatsApp address (E.164 or BSUID) when reachable, name and last event. */
export const segmentMemberSchema = z.strictObject({
  person_id: z.string(),
  whatsapp: z.string().nullable(),
  name: z.string().nullable(),
  last_seen_at: isoTimeSchema.nullable(),
});

/** `GET /segments/{id}/preview` and `POST /segments/preview`: the member count and a sample. */
export const segmentPreviewSchema = z.strictObject({
  count: z.number().int().nonnegative(),
  sample: z.array(segmentMemberSchema),
  evaluated_at: isoTimeSchema,
  took_ms: z.number().nonnegative(),
});
