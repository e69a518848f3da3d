import { z } from "zod";
import {
  propertyFilterSchema,
  segmentDefinitionInputSchema,
  segmentDefinitionSchema,
  segmentKeySchema,
  segmentMemberSchema,
} from "./segments";
import { isoTimeSchema } from "./shared";

const eventName = z.string().min(1).max(200);
const url = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine(
    (u) => u.startsWith("https://") || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(u),
    "https, or http to this machine (127.0.0.1, localhost) for local receivers",
  );

/** What starts a run for a person. */
export const automationTriggerSchema = z.discriminatedUnion("type", [
  /** Each new event of this name whose properties pass every filter (e.g. `sla_breached`). */
  z.strictObject({ type: z.literal("event"), event: eventName, where: z.array(propertyFilterSchema).max(10).optional() }),
  /** Each person who enters the segment (checked by the scheduled run, every 5 minutes). */
  z.strictObject({ type: z.literal("segment_entry"), segment_id: z.string().min(1).max(100) }),
  /** Every `every_minutes`, or at each minute a five-field UTC `cron` expression names, each member of the segment (one run per member per slot). */
  z
    .strictObject({
      type: z.literal("schedule"),
      every_minutes: z
        .number()
        .int()
        .min(5)
        .max(60 * 24 * 31)
        .optional(),
      cron: z
        .string()
        .regex(/^[\d*,/\- ]{9,100}$/, "five fields: minute hour day-of-month month day-of-week (UTC)")
        .optional(),
      segment_id: z.string().min(1).max(100),
    })
    .refine((t) => (t.every_minutes === undefined) !== (t.cron === undefined), {
      message: "give every_minutes or cron, not both",
      path: ["every_minutes"],
    }),
]);
export type AutomationTrigger = z.infer<typeof automationTriggerSchema>;

/** An optional wait before the actions: a fixed delay, or until an event (which cancels the run) or a timeout. */
export const automationWaitSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("delay"),
    seconds: z
      .number()
      .int()
      .min(1)
      .max(365 * 86_400),
  }),
  z.strictObject({
    type: z.literal("until_event"),
    event: eventName,
    timeout_seconds: z
      .number()
      .int()
      .min(1)
      .max(365 * 86_400),
  }),
]);
export type AutomationWait = z.infer<typeof automationWaitSchema>;

const scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

/** What a run does, in order. */
export const automationActionSchema = z.discriminatedUnion("type", [
  /** POSTs the run as JSON, signed with the automation's secret (docs/automations.md). */
  z.strictObject({ type: z.literal("webhook"), url }),
  /** Sets (or, with null, removes) one trait of the person's WhatsApp contact. */
  z.strictObject({ type: z.literal("set_trait"), trait: segmentKeySchema, value: scalar }),
  /** Adds the person to a static list (a segment condition `{type: "list"}` reads it). */
  z.strictObject({ type: z.literal("add_to_list"), list: segmentKeySchema }),
  /** Hands the person's conversation to an agent: a signed call to the CRM's endpoint. */
  z.strictObject({ type: z.literal("handoff"), url, note: z.string().max(500).optional() }),
  /** Sends a WhatsApp template to the person. */
  z.strictObject({ type: z.literal("send_template"), template_id: z.string().min(1).max(100) }),
]);
export type AutomationAction = z.infer<typeof automationActionSchema>;

export const automationDefinitionSchema = z.strictObject({
  trigger: automationTriggerSchema,
  wait: automationWaitSchema.optional(),
  /** Checked for the person after the wait: segment conditions (traits, consent, events…). */
  conditions: segmentDefinitionSchema.optional(),
  actions: z.array(automationActionSchema).min(1).max(10),
  /** Runs started per rolling hour; triggers past it are recorded as `rate_limited`. */
  max_runs_per_hour: z.number().int().min(1).max(100_000).default(1000),
});
export type AutomationDefinition = z.infer<typeof automationDefinitionSchema>;

/** What a client sends: the definition, its conditions checked as a segment's are. */
export const automationSaveSchema = z.strictObject({
  name: z.string().min(1).max(200),
  ...automationDefinitionSchema.shape,
  conditions: segmentDefinitionInputSchema.optional(),
});

export const automationSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: z.enum(["active", "paused"]),
  ...automationDefinitionSchema.shape,
  created_at: isoTimeSchema,
  updated_at: isoTimeSchema,
});
export type Automation = z.infer<typeof automationSchema>;
/** `POST /automations`: the automation and, this once, its signing secret. */
export const automationCreatedSchema = automationSchema.extend({ secret: z.string() });
export const automationListSchema = z.strictObject({ automations: z.array(automationSchema) });

export const RUN_STATUSES = ["running", "waiting", "completed", "cancelled", "skipped", "failed", "rate_limited"] as const;

export const automationRunStepSchema = z.strictObject({
  seq: z.number().int(),
  name: z.string(),
  status: z.enum(["ok", "skipped", "failed", "cancelled"]),
  detail: z.string().nullable(),
  at: isoTimeSchema,
});

export const automationRunSchema = z.strictObject({
  id: z.string(),
  person_id: z.string(),
  trigger_key: z.string(),
  status: z.enum(RUN_STATUSES),
  reason: z.string().nullable(),
  started_at: isoTimeSchema,
  finished_at: isoTimeSchema.nullable(),
});
export const automationRunsSchema = z.strictObject({ runs: z.array(automationRunSchema), next_cursor: z.string().nullable() });
export const automationRunDetailSchema = automationRunSchema.extend({ steps: z.array(automationRunStepSchema) });

/** `POST /automations/{id}/dry-run`: who the trigger would reach now, without running anything. */
export const automationDryRunSchema = z.strictObject({
  trigger: z.enum(["event", "segment_entry", "schedule"]),
  /** Event triggers: matching events in the last `days` days. */
  events: z.number().int().nonnegative().nullable(),
  people: z.number().int().nonnegative(),
  sample: z.array(segmentMemberSchema.pick({ person_id: true })),
  days: z.number().int().nullable(),
  evaluated_at: isoTimeSchema,
});
