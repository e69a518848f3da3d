import { getJson } from "../../lib/api";
import { project } from "../../lib/session";
import type { WhatsAppOverview } from "../../lib/types";
import { viewResource } from "../../lib/view-resource";
import { generation, interval, trafficQuery } from "../../lib/view-state";

// Every WhatsApp endpoint takes the shared filters (the Worker pins the channel itself).
const source = () => {
  const q = trafficQuery();
  return q && { project: project(), tick: generation(), ...q };
};

/** Message volume, contacts, response times, delivery and opt-outs. */
export function loadWhatsApp() {
  return viewResource(source, ({ project: _p, tick: _t, ...q }) => getJson<WhatsAppOverview>("/whatsapp/overview", q));
}

/** New contacts per day. */
export function loadGrowth() {
  return viewResource(source, ({ project: _p, tick: _t, ...q }) =>
    getJson<{ series: { day: string; new_contacts: number }[] }>("/whatsapp/growth", q),
  );
}

/** Messages in and out per bucket of the view's interval. */
export function loadMessagesSeries() {
  return viewResource(
    () => {
      const q = source();
      return q && { ...q, interval: interval() };
    },
    ({ project: _p, tick: _t, ...q }) =>
      getJson<{ interval: string; series: { bucket: string; messages_in: number; messages_out: number }[] }>(
        "/whatsapp/messages-series",
        q,
      ),
  );
}

/** Inbound messages by weekday (row 0 = Monday) × hour in the chosen timezone. */
export function loadPeakHours() {
  return viewResource(source, ({ project: _p, tick: _t, ...q }) => getJson<{ tz: string; matrix: number[][] }>("/whatsapp/peak-hours", q));
}

export interface DeliveryRow {
  value: string | null;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  delivery_rate: number | null;
  read_rate: number | null;
  failure_rate: number | null;
}

/** Delivery funnel per template or campaign tag. */
export function loadDeliveryBy(group: () => "template" | "campaign") {
  return viewResource(
    () => {
      const q = source();
      return q && { ...q, group: group() };
    },
    ({ project: _p, tick: _t, ...q }) => getJson<{ group: string; rows: DeliveryRow[] }>("/whatsapp/delivery", q),
  );
}
