import type { Filters } from "../../lib/filters";
import { WEB_ONLY_DIMENSIONS } from "../dimensions";

/** The same filters on one channel. */
export const onChannel = (f: Filters, channel: "web" | "whatsapp"): Filters => ({ ...f, eq: { ...f.eq, channel_type: channel } });

/**
 * The channel a figure is on when the request names none (docs/support-metrics.md): the Overview's
 * visitors, sessions, events and page views are web figures (WhatsApp reports contacts and
 * conversations apart), and a breakdown by a web-only dimension covers web events; a breakdown by a
 * dimension both channels have (country, event, channel) covers both. Drill-down lists use the same
 * rule, so a list always adds up to the figure it was opened from.
 */
export function figureChannel(f: Filters, dimension?: string): Filters {
  if (f.eq.channel_type) return f;
  if (dimension === undefined || WEB_ONLY_DIMENSIONS.has(dimension)) return onChannel(f, "web");
  return f;
}
