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
