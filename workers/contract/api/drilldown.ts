import { z } from "zod";
import { apiEventSchema } from "./events";
import { isoTimeSchema } from "./shared";

/**
 * How a row names its person for `GET /timeline`: pass `?<kind>=<value>` (the timeline follows
 * every id linked to it, so any id of the person works).
 */
export const timelineRefSchema = z.strictObject({
  kind: z.enum(["anonymous_id", "external_id", "user_id"]),
  value: z.string(),
});
export type TimelineRef = z.infer<typeof timelineRefSchema>;

/** Which figure a people list stands behind: distinct visitors, or sessions. */
export const PEOPLE_METRICS = ["visitors", "sessions"] as const;

/**
 * One visitor (or one session, for `metric=sessions`) behind a figure: the visitor key the figure
 * counted, the person it belongs to through identity links, and its matching events.
 */
export const personRowSchema = z.strictObject({
  /** The visitor key: `anonymous_id`, else `x:<external_id>`, else `u:<user_id>`. */
  visitor: z.string(),
  /** The session key (`session_id`, else `conversation_id`); null in a visitors list. */
  session: z.string().nullable(),
  /** The person through identity links (`events.person_id`); null for events stored before links. */
  person_id: z.string().nullable(),
  timeline: timelineRefSchema,
  /** Matching events of this visitor (or session) in the range. */
  events: z.number().int().nonnegative(),
  first_seen: isoTimeSchema,
  last_seen: isoTimeSchema,
});
export type PersonRow = z.infer<typeof personRowSchema>;

/**
 * `GET /stats/people`: the visitors (or sessions) behind a figure, filtered exactly as the figure
 * (optionally one series bucket, or one breakdown value). `total` equals the figure; pages follow
 * `next_cursor` until null.
 */
export const statsPeopleSchema = z.strictObject({
  metric: z.enum(PEOPLE_METRICS),
  total: z.number().int().nonnegative(),
  people: z.array(personRowSchema),
  next_cursor: z.string().nullable(),
});
export type StatsPeople = z.infer<typeof statsPeopleSchema>;

/** `GET /stats/events`: the events behind an events or page-views figure, newest first; `total` equals the figure. */
export const statsEventsSchema = z.strictObject({
  total: z.number().int().nonnegative(),
  events: z.array(apiEventSchema),
  next_cursor: z.string().nullable(),
});
export type StatsEvents = z.infer<typeof statsEventsSchema>;

/** Who a funnel step's figure counts: those who reached the step, or those lost just before it. */
export const FUNNEL_OUTCOMES = ["converted", "dropped"] as const;

/** One person of a funnel step: when they entered, and when they reached the step (null when dropped). */
export const funnelPersonSchema = z.strictObject({
  person_id: z.string(),
  timeline: timelineRefSchema.nullable(),
  entered_at: isoTimeSchema,
  /** When they reached the previous step (the step itself for step 1). */
  previous_at: isoTimeSchema,
  reached_at: isoTimeSchema.nullable(),
});
export type FunnelPerson = z.infer<typeof funnelPersonSchema>;

/**
 * `GET /funnels/{id}/steps/{n}/people`, `POST /funnels/query/steps/{n}/people`: the people behind
 * step n's count (`converted`) or its drop-off (`dropped`: reached step n-1, not step n). `total`
 * equals the step's `count` or `drop_off`.
 */
export const funnelStepPeopleSchema = z.strictObject({
  step: z.number().int().positive(),
  outcome: z.enum(FUNNEL_OUTCOMES),
  total: z.number().int().nonnegative(),
  people: z.array(funnelPersonSchema),
  next_cursor: z.string().nullable(),
});
export type FunnelStepPeople = z.infer<typeof funnelStepPeopleSchema>;

/** `GET /stats/values`: the most frequent values of a filter dimension in the range, for suggestions. */
export const statsValuesSchema = z.strictObject({
  dimension: z.string(),
  values: z.array(z.strictObject({ value: z.string(), events: z.number().int().nonnegative() })),
  source: z.enum(["rollups", "raw"]),
});
export type StatsValues = z.infer<typeof statsValuesSchema>;

/** `GET /stats/property-keys`: property keys seen on (recent) events, optionally of one event name. */
export const propertyKeysSchema = z.strictObject({
  event: z.string().nullable(),
  keys: z.array(z.strictObject({ key: z.string(), events: z.number().int().nonnegative() })),
});
export type PropertyKeys = z.infer<typeof propertyKeysSchema>;

/**
 * `GET /stats/bots`: of the project's events in the range (both channels, other filters ignored),
 * how many are flagged as bots. Figures hide bots unless `include_bots=true`; the dashboard warns
 * when most events are bots, so an empty-looking view is explained.
 */
export const botShareSchema = z.strictObject({
  events: z.number().int().nonnegative(),
  bot_events: z.number().int().nonnegative(),
  /** bot_events / events, 0–1; null when the range has no events. */
  bot_share: z.number().min(0).max(1).nullable(),
});
export type BotShare = z.infer<typeof botShareSchema>;
