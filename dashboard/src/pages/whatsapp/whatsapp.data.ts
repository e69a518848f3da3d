import { createResource } from "solid-js";
import { getJson } from "../../lib/api";
import { rangeParams } from "../../lib/filters";
import { project } from "../../lib/session";
import type { WhatsAppOverview } from "../../lib/types";

const withProject = () => ({ project: project(), ...rangeParams() });

/** Message volume, contacts, response times, delivery and opt-outs. */
export function loadWhatsApp() {
  return createResource(withProject, ({ project: _p, ...q }) => getJson<WhatsAppOverview>("/whatsapp/overview", q));
}

/** New contacts per day. */
export function loadGrowth() {
  return createResource(withProject, ({ project: _p, ...q }) => getJson<{ series: { day: string; new_contacts: number }[] }>("/whatsapp/growth", q));
}

/** Inbound messages by weekday (row 0 = Monday) × hour in the chosen timezone. */
export function loadPeakHours() {
  return createResource(withProject, ({ project: _p, ...q }) => getJson<{ tz: string; matrix: number[][] }>("/whatsapp/peak-hours", q));
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
  return createResource(
    () => ({ project: project(), ...rangeParams(), group: group() }),
    ({ project: _p, ...q }) => getJson<{ group: string; rows: DeliveryRow[] }>("/whatsapp/delivery", q),
  );
}
