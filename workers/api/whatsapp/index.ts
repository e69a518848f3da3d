import { Hono } from "hono";
import { z } from "zod";
import { parseOr400 } from "../../lib/http";
import type { ApiEnv } from "../auth";
import { DELIVERY_GROUPS, deliveryRows, deliveryTotals } from "./delivery";
import { rate } from "./distribution";
import { newContactsByDay, peakHours } from "./quarters";
import { whatsappFilters } from "./range";
import { responseTimes } from "./response-times";
import { messageVolume, newContacts, optOuts } from "./volume";

/**
 * `/api/projects/:project/whatsapp/*`: how fast we answer and how messages fare. Every route takes
 * the shared dashboard filters (`from`, `to`, `tz`; see api/filters); times are in seconds, rates 0–1.
 */
export const whatsappApi = new Hono<ApiEnv>();

whatsappApi.get("/overview", async (c) => {
  const f = whatsappFilters(c.req.query());
  const [db, p] = [c.env.DB, c.get("project").id];
  const [volume, contacts, optedOut, response_time, delivery] = await Promise.all([
    messageVolume(db, p, f), newContacts(db, p, f), optOuts(db, p, f), responseTimes(db, p, f), deliveryTotals(db, p, f),
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
});

whatsappApi.get("/growth", async (c) => {
  const f = whatsappFilters(c.req.query());
  const [db, p] = [c.env.DB, c.get("project").id];
  const [series, contacts] = await Promise.all([newContactsByDay(db, p, f), newContacts(db, p, f)]);
  return c.json({ series, total: contacts.total, previous_total: contacts.previous, growth_rate: contacts.growth_rate });
});

const groupSchema = z.object({ group: z.enum(DELIVERY_GROUPS).default("template") });

whatsappApi.get("/delivery", async (c) => {
  const { group } = parseOr400(groupSchema, { group: c.req.query("group") }, "query");
  const f = whatsappFilters(c.req.query());
  return c.json({ group, rows: await deliveryRows(c.env.DB, c.get("project").id, f, group) });
});

whatsappApi.get("/peak-hours", async (c) => {
  const f = whatsappFilters(c.req.query());
  return c.json({ tz: f.tz, matrix: await peakHours(c.env.DB, c.get("project").id, f) });
});
