import type { CaptureEvent } from "../../workers/contract/events";
import { configure, gpc, project, type Options } from "./config";
import { context, uuid } from "./context";
import { load, save } from "./storage";
import { beacon, clear, enqueue, flushNow, kick } from "./transport";

export type { Options };
/** Free-form event properties (the contract caps them at 8 KB of JSON). */
export type Properties = NonNullable<CaptureEvent["properties"]>;

interface Identity {
  /** anonymous_id */ a?: string;
  /** session_id */ s?: string;
  /** last activity, epoch ms */ t?: number;
  /** user_id */ u?: string;
  /** opted out: 1, opted in: 0, undecided: absent */ o?: number;
}

const IDENTITY = "jn_id";
const SESSION_MS = 18e5; // 30 minutes

// The tracker must never break its host page. Storage access is guarded in storage.ts; what else
// could throw (old browsers, odd host pages) runs inside track() and init(), which swallow errors.

let lastPage: string | undefined;

/** Reads identity fresh from storage (another tab may have moved the session on) and touches it. */
function identity(): Identity {
  const id = load<Identity>(IDENTITY) || {};
  const now = Date.now();
  id.a ||= uuid();
  // Also true when there is no session yet (NaN < x is false).
  if (!(now - id.t! < SESSION_MS)) id.s = uuid();
  id.t = now;
  save(IDENTITY, id);
  return id;
}

// An explicit optIn() (stored 0) overrides Global Privacy Control; optOut() (stored 1) wins over all.
const choice = (o?: number) => save(IDENTITY, { ...load<Identity>(IDENTITY), o });
const optedOut = () => load<Identity>(IDENTITY)?.o ?? (gpc && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl);

/** Records a custom event. (`token` is internal: the handshake's.) */
export function track(event: string, properties?: Properties, token?: string): void {
  try {
    if (!project || optedOut()) return;
    const id = identity();
    const ctx = context();
    if (token) ctx.handshake_token = token;
    enqueue({
      event_id: uuid(),
      event,
      timestamp: new Date().toISOString(),
      anonymous_id: id.a!,
      session_id: id.s!,
      user_id: id.u,
      properties,
      context: ctx,
    });
  } catch {}
}

const here = () => location.href.split("#")[0];

/** Records a page view of the current URL (automatic unless `autoPage: false`). */
export const page = (properties?: Properties) => {
  lastPage = here();
  track("page_view", properties);
};

const autoPageView = () => here() != lastPage && page();

/** Ties this browser to a known user; later events carry user_id. */
export const identify = (userId: string, traits?: Properties) => {
  save(IDENTITY, { ...load<Identity>(IDENTITY), u: userId });
  track("identify", traits);
};

/** Forgets the user: a new anonymous_id and session, no user_id (e.g. on logout); keeps the opt-out choice. */
export const reset = () => save(IDENTITY, { o: load<Identity>(IDENTITY)?.o });

/** Sends waiting events now; resolves when the request is done (never rejects). */
export const flush = (): Promise<void> => flushNow() || Promise.resolve();

/** Stops all tracking on this browser and drops waiting events. */
export const optOut = () => {
  choice(1);
  clear();
};

/** Allows tracking again (also overrides Global Privacy Control). */
export const optIn = () => choice(0);

/** Starts the tracker; later calls are ignored. */
export function init(options: Options): void {
  try {
    if (!project && options.project) start(options);
  } catch {}
}

function start(options: Options) {
  configure(options);
  // Fired on tab switch, minimize and unload alike (pagehide adds nothing in current browsers).
  // Also beaconing when the page turns visible again merely sends a little early.
  addEventListener("visibilitychange", beacon);
  addEventListener("online", flushNow);

  // Cross-channel handshake: report the token once, then take it out of the address bar so it
  // cannot leak into referrers, bookmarks or the page_view URL.
  const url = new URL(location.href);
  const token = url.searchParams.get("hs_token");
  if (token) {
    url.searchParams.delete("hs_token");
    history.replaceState(history.state, "", url);
    track("handshake_complete", undefined, token);
  }

  if ("" + options.autoPage != "false") {
    for (const m of ["pushState", "replaceState"] as const) {
      const original = history[m];
      history[m] = function (this: History, ...a: Parameters<History["pushState"]>) {
        original.apply(this, a);
        // Frameworks set the title just after navigating: look once the current task is done.
        setTimeout(autoPageView);
      };
    }
    addEventListener("popstate", autoPageView);
    page();
  }
  // Events a previous visit could not deliver leave with the first batch.
  kick();
}
