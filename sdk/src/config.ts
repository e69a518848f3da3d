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
}

// The resolved configuration, as module-level bindings (they minify to one letter each).
export let project = "";
export let endpoint: string;
export let batchSize: number;
export let flushInterval: number;
export let gpc: boolean;
export let queueKey: string;

/** Resolves options with their defaults; values from data attributes arrive as strings. */
export function configure(o: Options): void {
  project = o.project;
  queueKey = "jn_q:" + project;
  endpoint = (o.endpoint || location.origin).replace(/\/$/, "") + "/capture";
  batchSize = Math.min(+o.batchSize! || 10, 100);
  flushInterval = +o.flushInterval! || 3000;
  // `data-gpc` with no value, "true" or true.
  gpc = /^(true)?$/.test(o.gpc as string);
}
