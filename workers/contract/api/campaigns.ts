import { z } from "zod";
import { isoTimeSchema, rateSchema, timeZoneSchema } from "./shared";

/** Sending rules of a project's campaigns (docs/campaigns.md); every field has a default. */
export const campaignSettingsSchema = z.strictObject({
  /** Local quiet hours `HH:MM`–`HH:MM` in the recipient's zone (may span midnight; start ≠ end); null: none. */
  quiet_hours: z
    .strictObject({ start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/), end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/) })
    .refine((q) => q.start !== q.end, { message: "start and end must differ (null turns quiet hours off)", path: ["end"] })
    .nullable()
    .default({ start: "21:00", end: "08:00" }),
  /** `defer`: send when the quiet hours end; `skip`: skip the person with reason `quiet_hours`. */
  quiet_mode: z.enum(["defer", "skip"]).default("defer"),
  /** The zone of recipients without a known one (IANA, stored under its canonical name). */
  default_timezone: timeZoneSchema.default("UTC"),
  /** At most `max` MARKETING campaign messages per person per `days` days. */
  frequency_cap: z
    .strictObject({ max: z.number().int().min(1).max(100), days: z.number().int().min(1).max(90) })
    .nullable()
    .default({ max: 2, days: 7 }),
  /** Sends per second of one campaign. */
  throughput_per_second: z.number().min(0.1).max(500).default(10),
  /** Provider attempts per recipient on retryable errors before the recipient is dead-lettered. */
  max_attempts: z.number().int().min(1).max(20).default(5),
  /** The campaign pauses after this many provider failures in a row. */
  breaker_threshold: z.number().int().min(1).max(100).default(3),
});
export type CampaignSettings = z.infer<typeof campaignSettingsSchema>;

export const CAMPAIGN_STATUSES = ["draft", "scheduled", "running", "paused", "completed", "cancelled"] as const;

const variantSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  template_id: z.string().min(1).max(64),
  weight: z.number().int().min(1).max(1000).default(1),
});

export const campaignInputSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    segment_id: z.string().min(1).max(64),
    /** One template (a single variant `A`), or `variants` for an A/B test. */
    template_id: z.string().min(1).max(64).optional(),
    variants: z.array(variantSchema).min(2).max(5).optional(),
    /** Send at this time; absent: at launch. */
    send_at: isoTimeSchema.optional(),
    /** A conversion is `goal.event` by the recipient within `goal.days` days of the send. */
    goal: z.strictObject({ event: z.string().min(1).max(200), days: z.number().int().min(1).max(90).default(7) }).optional(),
    /** Cost of one sent message, in the project's currency. */
    cost_per_message: z.number().min(0).max(100).optional(),
    /** The sending account (`meta:<phone_number_id>` / `twilio:+E.164`) among the project's; default the first. */
    sender: z.string().min(3).max(100).optional(),
  })
  .refine((c) => c.template_id !== undefined || c.variants !== undefined, {
    message: "neither template_id nor variants given: give one template_id, or variants for an A/B test",
    path: ["template_id"],
  })
  .refine((c) => c.template_id === undefined || c.variants === undefined, {
    message: "both template_id and variants given: give one template_id, or variants for an A/B test, not both",
    path: ["template_id"],
  })
  .refine((c) => !c.variants || new Set(c.variants.map((v) => v.name)).size === c.variants.length, {
    message: "variant names must differ",
    path: ["variants"],
  });
export type CampaignInput = z.infer<typeof campaignInputSchema>;

export const campaignSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  segment_id: z.string(),
  variants: z.array(z.strictObject({ name: z.string(), template_id: z.string(), weight: z.number() })),
  status: z.enum(CAMPAIGN_STATUSES),
  pause_reason: z.string().nullable(),
  send_at: isoTimeSchema.nullable(),
  goal: z.strictObject({ event: z.string(), days: z.number() }).nullable(),
  cost_per_message: z.number().nullable(),
  sender: z.string().nullable(),
  audience: z.number().int().nullable(),
  created_at: isoTimeSchema,
  launched_at: isoTimeSchema.nullable(),
  completed_at: isoTimeSchema.nullable(),
});
export type Campaign = z.infer<typeof campaignSchema>;
export const campaignListSchema = z.strictObject({ campaigns: z.array(campaignSchema) });

const countsSchema = z.strictObject({
  audience: z.number().int(),
  /** Not sent, by reason (`no_consent`, `opted_out`, `quiet_hours`, `frequency_cap`, `missing_variable:<name>`, `campaign_cancelled`, …). */
  skipped: z.record(z.string(), z.number().int()),
  /** Waiting: not yet due (quiet hours) or not yet reached. */
  pending: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  /** Refused at send (dead letters) or reported failed by the provider, and never delivered. */
  failed: z.number().int(),
  failed_by_code: z.record(z.string(), z.number().int()),
  replies: z.number().int(),
  opt_outs: z.number().int(),
  conversions: z.number().int(),
  conversion_rate: rateSchema,
  cost: z.number().nullable(),
  cost_per_conversion: z.number().nullable(),
});

export const campaignResultsSchema = z.strictObject({
  campaign_id: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  goal: z.strictObject({ event: z.string(), days: z.number() }).nullable(),
  totals: countsSchema,
  variants: z.array(countsSchema.extend({ name: z.string(), template_id: z.string() })),
  /** Each variant against the first: conversion-rate difference and a two-sided two-proportion z-test. */
  comparisons: z.array(
    z.strictObject({
      variant: z.string(),
      against: z.string(),
      difference: z.number().nullable(),
      z: z.number().nullable(),
      p_value: z.number().nullable(),
    }),
  ),
  evaluated_at: isoTimeSchema,
});
export type CampaignResults = z.infer<typeof campaignResultsSchema>;

export const RECIPIENT_STATUSES = ["pending", "deferred", "sending", "sent", "skipped", "dead"] as const;

/** One recipient of the audience snapshot and what happened to its send. */
export const campaignRecipientSchema = z.strictObject({
  person_id: z.string(),
  address: z.string(),
  variant: z.string(),
  status: z.enum(RECIPIENT_STATUSES),
  reason: z.string().nullable(),
  error_code: z.string().nullable(),
  attempts: z.number().int(),
  not_before: isoTimeSchema.nullable(),
  provider_message_id: z.string().nullable(),
  sent_at: isoTimeSchema.nullable(),
});
export const campaignRecipientsSchema = z.strictObject({
  recipients: z.array(campaignRecipientSchema),
  next_cursor: z.string().nullable(),
});
