import { createEffect, createMemo, createRoot, createSignal, untrack } from "solid-js";
import { isFilterKey, normalizeValue, type Filter } from "./dimensions";
import { alignedRange, INTERVALS, PRESETS, type AlignedRange, type Interval, type RangeKey } from "./range";
import { go, hrefOf, route } from "./router";
import { project, setProject, shared } from "./session";
import { isTimeZone } from "./zone";

/**
 * The view lives in the hash URL (`#/overview?range=30d&tz=Africa/Nairobi&country=KE&tab=path`):
 * reload restores it, copying the URL shares it, back/forward walks through it. This module is the
 * only reader and writer of those parameters; the API's query keys are used as-is.
 */

export const browserTz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
export const TIMEZONES = [
  ...new Set([
    browserTz,
    "UTC",
    "Africa/Nairobi",
    "Africa/Lagos",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
  ]),
];

/** Carried from page to page; every other key (tab, funnel, person, conversation) belongs to one page. */
const SHARED = ["project", "range", "from", "to", "interval", "tz", "include_bots"];
const sameJson = <T>(a: T, b: T) => JSON.stringify(a) === JSON.stringify(b);

/** One URL parameter of the current view ("" when absent). */
export const param = (name: string) => route().params.get(name) ?? "";
// A memo: effects that follow the page (focus, closing the menu) must not re-run on every filter change.
export const page = createRoot(() => createMemo(() => route().page));

export const view = {
  range: (): RangeKey => (param("range") in PRESETS || param("range") === "custom" ? (param("range") as RangeKey) : "30d"),
  interval: (): Interval => ((INTERVALS as readonly string[]).includes(param("interval")) ? (param("interval") as Interval) : "day"),
  tz: () => (isTimeZone(param("tz")) ? param("tz") : browserTz),
  includeBots: () => param("include_bots") === "true",
};

// "Now" is pinned when the view changes (or Refresh is pressed), so every request of one view
// covers exactly the same window.
const [now, setNow] = createSignal(Date.now());
const pin = () => setNow(Date.now());
// Refresh within the same quarter hour gives the same aligned range, which the memos below would
// swallow; loaders put this generation in their source (never in the request) so it refetches.
const [generation, setGeneration] = createSignal(0);
export { generation };
/** Re-reads every panel with the current time. */
export const refresh = () => (pin(), setGeneration((g) => g + 1));

// Memos compare by value, so a change of tab or page parameter does not refetch every panel: a
// loader's source re-runs only when the query it sends really changed.
const derived = createRoot(() => {
  const memo = <T>(fn: () => T) => createMemo(fn, undefined, { equals: sameJson });
  const range = memo(() =>
    alignedRange({ range: view.range(), from: param("from"), to: param("to"), interval: view.interval(), tz: view.tz() }, now()),
  );
  const filters = memo(() => [...route().params].filter(([k, v]) => isFilterKey(k) && v).map(([key, value]): Filter => ({ key, value })));
  const rangeQuery = memo(() => {
    const r = range();
    return "error" in r ? (false as const) : { from: r.from, to: r.to, tz: view.tz() };
  });
  const filterQuery = memo((): Record<string, string> => {
    const q = Object.fromEntries(filters().map((f) => [f.key, f.value]));
    return view.includeBots() ? { ...q, include_bots: "true" } : q;
  });
  const trafficQuery = memo(() => {
    const r = rangeQuery();
    return r && { ...r, ...filterQuery() };
  });
  const interval = memo(() => ((r) => ("error" in r ? view.interval() : r.interval))(range()));
  return { range, filters, rangeQuery, filterQuery, trafficQuery, interval };
});

/** The filters of the view, in URL order. */
export const filters = derived.filters;
/** The aligned range, or undefined while the custom dates are invalid. */
export const currentRange = (): AlignedRange | undefined => ((r) => ("error" in r ? undefined : r))(derived.range());
/** What is wrong with the custom range, if anything: shown once, in the filter bar. */
export const rangeError = () => ((r) => ("error" in r ? r.error : undefined))(derived.range());
/** `{from, to, tz}`, or false (send nothing) while the range is invalid. */
export const rangeQuery = derived.rangeQuery;
/** The event filters as API query keys, `include_bots` among them. */
export const filterQuery = derived.filterQuery;
/** Range plus event filters, for endpoints that take them; false while the range is invalid. */
export const trafficQuery = derived.trafficQuery;
/** The interval the series is drawn with (24 hours always by hour, long ranges never). */
export const interval = derived.interval;

function ordered(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of SHARED) if (params.get(k)) out.set(k, params.get(k)!);
  for (const [k, v] of params) if (!SHARED.includes(k) && v) out.set(k, v);
  return out;
}

/** Writes `patch` into the URL (null or "" removes a key); a new history entry unless `replace`. */
export function setView(patch: Record<string, string | null | undefined>, replace = false) {
  const params = new URLSearchParams(route().params);
  for (const [k, v] of Object.entries(patch)) v ? params.set(k, v) : params.delete(k);
  if (!replace) pin();
  go(hrefOf(page(), ordered(params)), replace);
}

/** Shows the view under another page id, in place (for an address that page replaced). */
export const setPage = (target: string) => go(hrefOf(target, route().params), true);

export const addFilter = (key: string, value: string) => normalizeValue(key, value) && setView({ [key]: normalizeValue(key, value) });
export const removeFilter = (key: string) => setView({ [key]: null });

/** The URL of `target` keeping the shared part of this view (range, zone, filters). */
export function viewHref(target: string, pageParams: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of route().params) if (SHARED.includes(k) || isFilterKey(k)) params.set(k, v);
  for (const [k, v] of Object.entries(pageParams)) if (v) params.set(k, v);
  return hrefOf(target, ordered(params));
}

/** Navigates to another page (or the same page with other page parameters). */
export const goTo = (target: string, pageParams: Record<string, string> = {}) => go(viewHref(target, pageParams));

// A URL always names its project, range and zone, so whoever opens a copied link sees the same
// numbers (in the sender's zone, not their own); the URL's project wins over the stored one.
createRoot(() =>
  createEffect(() => {
    const params = route().params;
    // A share link reaches its own project only: the URL cannot point it elsewhere.
    const urlProject = shared && params.get("project") !== shared.project ? "" : params.get("project");
    if (urlProject && urlProject !== untrack(project)) setProject(urlProject);
    if (urlProject && params.get("range") && params.get("tz")) return;
    const fixed = new URLSearchParams(params);
    fixed.set("project", urlProject || untrack(project));
    fixed.set("range", view.range());
    fixed.set("tz", view.tz());
    go(hrefOf(page(), ordered(fixed)), true);
  }),
);

// The last view outside the share-link page, which that page offers to pin to a new link.
const [lastView, setLastView] = createSignal("#/overview");
createRoot(() => createEffect(() => route().page !== "shares" && setLastView(route().hash || "#/overview")));
/** The hash of the last view shown (other than the share-link page). */
export { lastView };
