import { z } from "zod";
import { distributionSchema, isoTimeSchema, rateSchema } from "./shared";
import { apiEventSchema } from "./events";
import { timelineRefSchema } from "./drilldown";

/** Response times (s): first response and every response, bot and human apart. */
export const responseTimesSchema = z.strictObject({
  first: z.strictObject({ human: distributionSchema, bot: distributionSchema }),
  all: z.strictObject({ human: distributionSchema, bot: distributionSchema }),
});
export type ResponseTimes = z.infer<typeof responseTimesSchema>;

/** Each message counted once at its furthest status: sent ⊇ delivered ⊇ read; failed = never delivered. */
export const deliveryFunnelSchema = z.strictObject({
  sent: z.number().int().nonnegative(),
  delivered: z.number().int().nonnegative(),
  read: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  delivery_rate: rateSchema,
  read_rate: rateSchema,
  failure_rate: rateSchema,
});
export type DeliveryFunnel = z.infer<typeof deliveryFunnelSchema>;

/** `GET /whatsapp/overview`. */
export const whatsappOverviewSchema = z.strictObject({
  messages_in: z.number().int().nonnegative(),
  messages_out: z.number().int().nonnegative(),
  unique_contacts: z.number().int().nonnegative(),
  new_contacts: z.number().int().nonnegative(),
  new_contacts_previous: z.number().int().nonnegative(),
  growth_rate: rateSchema,
  opt_out_rate: rateSchema,
  response_time: responseTimesSchema,
  delivery: deliveryFunnelSchema,
});
export type WhatsAppOverview = z.infer<typeof whatsappOverviewSchema>;

/** `GET /whatsapp/growth`: new contacts per local day, every day of the range listed. */
export const whatsappGrowthSchema = z.strictObject({
  series: z.array(z.strictObject({ day: z.string(), new_contacts: z.number().int().nonnegative() })),
  total: z.number().int().nonnegative(),
  previous_total: z.number().int().nonnegative(),
  growth_rate: rateSchema,
});
export type WhatsAppGrowth = z.infer<typeof whatsappGrowthSchema>;

/**
 * `GET /whatsapp/messages-series`: inbound and outbound messages per local bucket of `interval` in `tz`,
 * every bucket of the range listed; counted as the overview's `messages_in` / `messages_out`, so the
 * buckets add up to them (an outbound message reported twice counts once, in the bucket of its first report).
 */
export const whatsappMessagesSeriesSchema = z.strictObject({
  interval: z.enum(["hour", "day", "week", "month"]),
  series: z.array(
    z.strictObject({ bucket: z.string(), messages_in: z.number().int().nonnegative(), messages_out: z.number().int().nonnegative() }),
  ),
});
export type WhatsAppMessagesSeries = z.infer<typeof whatsappMessagesSeriesSchema>;

export const DELIVERY_GROUPS = ["template", "campaign"] as const;

/** `GET /whatsapp/delivery`: the delivery funnel per template or campaign tag (null = untagged). */
export const whatsappDeliverySchema = z.strictObject({
  group: z.enum(DELIVERY_GROUPS),
  rows: z.array(deliveryFunnelSchema.extend({ value: z.string().nullable() })),
});
export type WhatsAppDelivery = z.infer<typeof whatsappDeliverySchema>;

/** `GET /whatsapp/peak-hours`: inbound messages, 7 rows (Monday first) × 24 local hours. */
export const peakHoursSchema = z.strictObject({
  tz: z.string(),
  matrix: z.array(z.array(z.number().int().nonnegative()).length(24)).length(7),
});
export type PeakHours = z.infer<typeof peakHoursSchema>;

/** `GET /whatsapp/bot`: what the bot handles alone, and whether webview links lead to the web journey's goal. */
export const whatsappBotSchema = z.strictObject({
  /** Conversation cycles opened in the range. */
  cycles: z.number().int().nonnegative(),
  handoffs: z.number().int().nonnegative(),
  handoff_rate: rateSchema,
  /** Resolved cycles no human touched. */
  contained: z.number().int().nonnegative(),
  containment_rate: rateSchema,
  bot_resolutions: z.number().int().nonnegative(),
  bot_resolution_time: distributionSchema,
  webview: z.strictObject({
    goal: z.string(),
    days: z.number().int(),
    /** Conversations opened in the range that sent a handshake link. */
    sent: z.number().int().nonnegative(),
    opened: z.number().int().nonnegative(),
    completed: z.number().int().nonnegative(),
    completion_rate: rateSchema,
  }),
});
export type WhatsAppBot = z.infer<typeof whatsappBotSchema>;

/**
 * `GET /whatsapp/peak-hours/messages?weekday=&hour=`: the inbound messages behind one heatmap cell
 * (weekday 0 = Monday, local hour in `tz`), newest first; `total` equals the cell.
 */
export const peakHourMessagesSchema = z.strictObject({
  weekday: z.number().int().min(0).max(6),
  hour: z.number().int().min(0).max(23),
  total: z.number().int().nonnegative(),
  events: z.array(apiEventSchema),
  next_cursor: z.string().nullable(),
});
export type PeakHourMessages = z.infer<typeof peakHourMessagesSchema>;

/**
 * The WhatsApp figures `GET /whatsapp/messages` lists: the overview's messages in and out, and the
 * delivery funnel's steps (overall, or of one template/campaign row).
 */
export const WHATSAPP_MESSAGE_FIGURES = ["messages_in", "messages_out", "sent", "delivered", "read", "failed"] as const;

/**
 * `GET /whatsapp/messages?figure=`: the messages behind one figure, newest first, one event per message
 * it counts: an inbound message, an outbound message's first report, or (delivery figures) the status
 * event that took the message furthest, so its `properties.status` is the status it is counted at.
 * `total` equals the figure.
 */
export const whatsappMessagesSchema = z.strictObject({
  figure: z.enum(WHATSAPP_MESSAGE_FIGURES),
  total: z.number().int().nonnegative(),
  events: z.array(apiEventSchema),
  next_cursor: z.string().nullable(),
});
export type WhatsAppMessages = z.infer<typeof whatsappMessagesSchema>;

/** One contact behind "unique contacts": who they are, and their messages in the range. */
export const whatsappContactSchema = z.strictObject({
  external_id: z.string(),
  /** The person through identity links; null for events stored before links. */
  person_id: z.string().nullable(),
  timeline: timelineRefSchema,
  first_message_at: isoTimeSchema,
  last_message_at: isoTimeSchema,
  /** Messages in and out, counted as the overview counts them. */
  messages: z.number().int().nonnegative(),
});
export type WhatsAppContact = z.infer<typeof whatsappContactSchema>;

/** `GET /whatsapp/contacts`: the contacts behind "unique contacts", latest message first; `total` equals the figure. */
export const whatsappContactsSchema = z.strictObject({
  total: z.number().int().nonnegative(),
  contacts: z.array(whatsappContactSchema),
  next_cursor: z.string().nullable(),
});
export type WhatsAppContacts = z.infer<typeof whatsappContactsSchema>;
