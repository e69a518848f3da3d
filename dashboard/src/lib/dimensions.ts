/**
 * Filterable dimensions: the URL key is the API's query key (workers/api/filters DIMENSIONS, with
 * `channel` for the stored `channel_type`), so a view's URL maps straight onto its requests.
 */
export const FILTER_DIMENSIONS = {
  channel: "Channel",
  path: "Page",
  event_name: "Event",
  referrer: "Referrer",
  utm_source: "UTM source",
  utm_medium: "UTM medium",
  utm_campaign: "UTM campaign",
  utm_term: "UTM term",
  utm_content: "UTM content",
  country: "Country",
  region: "Region",
  city: "City",
  device_type: "Device",
  browser: "Browser",
  os: "OS",
} as const;
export type FilterDimension = keyof typeof FILTER_DIMENSIONS;

/** Event properties filter as `prop.<key>=value`; keys as the API accepts them (propKeySchema). */
export const PROP_PREFIX = "prop.";
export const PROP_KEY = /^[A-Za-z0-9_$:-]{1,64}$/;

export type Filter = { key: string; value: string };

/** True for a URL/API key that filters events. */
export function isFilterKey(key: string): boolean {
  return key in FILTER_DIMENSIONS || (key.startsWith(PROP_PREFIX) && PROP_KEY.test(key.slice(PROP_PREFIX.length)));
}

/** "Country", "Property journey". */
export function filterLabel(key: string): string {
  return key.startsWith(PROP_PREFIX) ? `Property ${key.slice(PROP_PREFIX.length)}` : (FILTER_DIMENSIONS[key as FilterDimension] ?? key);
}

/** The filter key a breakdown dimension's rows add when clicked. */
export const filterKeyOf = (dimension: string) => (dimension === "channel_type" ? "channel" : dimension);

/** Values as the API stores them: countries are ISO codes in upper case. */
export const normalizeValue = (key: string, value: string) => (key === "country" ? value.trim().toUpperCase() : value.trim());
