/** Options of `init` (and `data-*` attributes of the script tag, which arrive as strings). */
export interface Options {
  /** Project id, e.g. "demo". Required. */
  project: string;
  /** Base URL of the Junction Worker; events go to `<endpoint>/capture`. Defaults to this page's origin. */
  endpoint?: string;
  /** Send as soon as this many events are waiting (1–100, default 10). */
  batchSize?: number | string;
  /** Otherwise send this many ms after the first waiting event (default 3000). */
  flushInterval?: number | string;
  /** Track page views automatically, SPA navigations included (default true). */
  autoPage?: boolean | string;
  /** Treat Global Privacy Control (`navigator.globalPrivacyControl`) as an opt-out (default false). */
  gpc?: boolean | string;
  /** Cap of the offline queue in events (default 500); the oldest are dropped first. */
  maxQueue?: number | string;
  /** Cap of the offline queue in bytes of JSON (default 256 000). */
  maxQueueBytes?: number | string;
}

/** The resolved configuration every module reads; empty until `init`. */
export const cfg = {} as {
  project: string;
  endpoint: string;
  batchSize: number;
  flushInterval: number;
  gpc: boolean;
  maxQueue: number;
  maxQueueBytes: number;
};

const on = (v: unknown) => v === true || v === "" || v === "true";

/** Fills `cfg` from options, with defaults; string values come from data attributes. */
export function configure(o: Options): void {
  Object.assign(cfg, {
    project: o.project,
    endpoint: (o.endpoint || location.origin).replace(/\/$/, ""),
    batchSize: Math.min(+o.batchSize! || 10, 100),
    flushInterval: +o.flushInterval! || 3000,
    gpc: on(o.gpc),
    maxQueue: +o.maxQueue! || 500,
    maxQueueBytes: +o.maxQueueBytes! || 256e3,
  });
}

/** True unless `autoPage` was turned off. */
export const autoPage = (o: Options) => o.autoPage !== false && o.autoPage !== "false";
