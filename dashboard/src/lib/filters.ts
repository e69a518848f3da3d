import { createSignal } from "solid-js";
import { createStore } from "solid-js/store";

export const RANGES = { "24h": 1, "7d": 7, "30d": 30, "90d": 90 } as const;
export type RangeKey = keyof typeof RANGES | "custom";

const browserTz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** The filters every page shares; pages read only the ones their endpoints take. */
export const [filters, setFilters] = createStore({
  range: "30d" as RangeKey,
  from: "", // YYYY-MM-DD, custom range only
  to: "",
  interval: "day" as "hour" | "day" | "week" | "month",
  tz: browserTz,
  channel: "" as "" | "web" | "whatsapp",
  country: "",
  device_type: "",
});

// "Now" is pinned when a filter changes (or Refresh is pressed), so every request of one view
// covers exactly the same window.
const [now, setNow] = createSignal(Date.now());
export const refresh = () => setNow(Date.now());

export const TIMEZONES = [...new Set([browserTz, "UTC", "Africa/Nairobi", "Africa/Lagos", "Europe/London", "Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Singapore"])];

function startOfDay(date: string): Date {
  return new Date(`${date}T00:00:00`);
}

/** `{from, to, tz}` as ISO instants for the selected range. */
export function rangeParams() {
  const end = now();
  if (filters.range === "custom" && filters.from) {
    const to = filters.to ? startOfDay(filters.to).getTime() + 86_400_000 : end;
    return { from: startOfDay(filters.from).toISOString(), to: new Date(to).toISOString(), tz: filters.tz };
  }
  const days = RANGES[filters.range as keyof typeof RANGES] ?? 30;
  return { from: new Date(end - days * 86_400_000).toISOString(), to: new Date(end).toISOString(), tz: filters.tz };
}

/** Range plus the channel/country/device filters of the traffic endpoints. */
export function trafficParams() {
  return { ...rangeParams(), channel: filters.channel, country: filters.country.toUpperCase(), device_type: filters.device_type };
}
