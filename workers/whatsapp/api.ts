import { Hono } from "hono";
import { z } from "zod";
import { parseOr400 } from "../lib/http";
import { botQuerySchema, botMetrics } from "./bot";
import {
  hoursQuerySchema,
  peakHoursSchema,
  whatsappBotSchema,
  whatsappDeliverySchema,
  whatsappGrowthSchema,
  whatsappMessagesSeriesSchema,
  whatsappOverviewSchema,
} from "../contract";
import type { ApiEnv } from "../lib/auth";
import { filterQuerySchema } from "../lib/filters";
import { doc } from "../lib/openapi";
import { DELIVERY_GROUPS, deliveryRows, deliveryTotals } from "./delivery";
import { rate } from "../lib/distribution";
import { newContactsByDay, peakHours } from "./quarters";
import { whatsappFilters } from "../lib/filters/whatsapp";
import { messagesApi } from "./messages-api";
import { peakCellApi } from "./peak-cell-api";
import { responseTimes } from "./response-times";
import { messageSeries, messageVolume, newContacts, optOuts } from "./volume";

/**
 * `/api/projects/:project/whatsapp/*`: how fast we answer and how messages fare. Every route takes
 * the shared dashboard filters (`from`, `to`, `tz`; see api/filters); times are in seconds, rates 0–1.
 */
export const whatsappApi = new Hono<ApiEnv>();

const FILTER_ERRORS = ["invalid_query", "invalid_range"] as const;
const metricsDoc = (summary: string, schema: z.ZodType, query: z.ZodObject = filterQuerySchema) =>
  doc({
    summary,
    tags: ["whatsapp"],
    auth: "project",
    query,
    responses: { 200: { description: summary, schema } },
    errors: [...FILTER_ERRORS],
  });

// `hours=business`: response times counted in the project's business hours (docs/support-metrics.md).
const overviewQuery = filterQuerySchema.extend(hoursQuerySchema.shape);

whatsappApi.get(
  "/overview",
  metricsDoc("Messages, contacts, response times and delivery", whatsappOverviewSchema, overviewQuery),
  async (c) => {
    const f = whatsappFilters(c.req.query());
    const { hours } = parseOr400(hoursQuerySchema, c.req.query(), "query");
    const [db, p] = [c.env.DB, c.get("project").id];
    const [volume, contacts, optedOut, response_time, delivery] = await Promise.all([
      messageVolume(db, p, f),
      newContacts(db, p, f),
      optOuts(db, p, f),
      responseTimes(db, p, f, hours),
      deliveryTotals(db, p, f),
    ]);
    return c.json({
      ...volume,
      new_contacts: contacts.total,
      new_contacts_previous: contacts.previous,
      growth_rate: contacts.growth_rate,
      opt_out_rate: rate(optedOut, volume.unique_contacts),
      response_time,
      delivery,
    });
  },
);

whatsappApi.get("/growth", metricsDoc("New contacts per local day", whatsappGrowthSchema), async (c) => {
  const f = whatsappFilters(c.req.query());
  const [db, p] = [c.env.DB, c.get("project").id];
  const [series, contacts] = await Promise.all([newContactsByDay(db, p, f), newContacts(db, p, f)]);
  return c.json({ series, total: contacts.total, previous_total: contacts.previous, growth_rate: contacts.growth_rate });
});

whatsappApi.get(
  "/messages-series",
  metricsDoc("Messages in and out per local bucket of the interval", whatsappMessagesSeriesSchema),
  async (c) => {
    const f = whatsappFilters(c.req.query());
    return c.json({ interval: f.interval, series: await messageSeries(c.env.DB, c.get("project").id, f) });
  },
);

const groupSchema = z.object({ group: z.enum(DELIVERY_GROUPS).default("template") });

whatsappApi.get(
  "/delivery",
  metricsDoc("Delivery funnel per template or campaign", whatsappDeliverySchema, filterQuerySchema.extend(groupSchema.shape)),
  async (c) => {
    const { group } = parseOr400(groupSchema, { group: c.req.query("group") }, "query");
    const f = whatsappFilters(c.req.query());
    return c.json({ group, rows: await deliveryRows(c.env.DB, c.get("project").id, f, group) });
  },
);

whatsappApi.get("/peak-hours", metricsDoc("Inbound messages by weekday and local hour", peakHoursSchema), async (c) => {
  const f = whatsappFilters(c.req.query());
  return c.json({ tz: f.tz, matrix: await peakHours(c.env.DB, c.get("project").id, f) });
});

whatsappApi.get(
  "/bot",
  metricsDoc(
    "Bot containment, handoff rate, bot resolution time and webview journeys",
    whatsappBotSchema,
    filterQuerySchema.extend({ ...botQuerySchema.shape, ...hoursQuerySchema.shape }),
  ),
  async (c) => {
    const q = parseOr400(botQuerySchema.extend(hoursQuerySchema.shape), c.req.query(), "query");
    const f = whatsappFilters(c.req.query());
    return c.json(await botMetrics(c.env.DB, c.get("project").id, f, q, q.hours));
  },
);

whatsappApi.route("/", peakCellApi);
whatsappApi.route("/", messagesApi);
