import type { CaptureEvent } from "../../workers/contract/events";
import { autoPage, cfg, configure, type Options } from "./config";
import { context, uuid } from "./context";
import { load, save } from "./storage";
import { beacon, clear, enqueue, flushNow, kick } from "./transport";

export type { Options };
/** Free-form event properties (the contract caps them at 8 KB of JSON). */
export type Properties = NonNullable<CaptureEvent["properties"]>;

interface Identity {
  /** anonymous_id */ a: string;
  /** session_id */ s?: string;
  /** last activity, epoch ms */ t?: number;
  /** user_id */ u?: string;
}

const IDENTITY = "jn_id";
const OPT_OUT = "jn_out";
const SESSION_MS = 30 * 60e3;

let referrer = document.referrer;
let lastPage: string | undefined;

// The tracker must never break its host page: every public function swallows its own errors.
const safe =
  <A extends unknown[], R>(f: (...a: A) => R) =>
  (...a: A): R | undefined => {
    try {
      return f(...a);
    } catch {}
  };

/** Reads identity fresh from storage (another tab may have moved the session on) and touches it. */
function identity(): Identity {
  const id = load<Identity>(IDENTITY) || { a: uuid() };
  const now = Date.now();
  if (!id.s || now - id.t! > SESSION_MS) id.s = uuid();
  id.t = now;
  save(IDENTITY, id);
  return id;
}

// An explicit optIn() (stored 0) overrides Global Privacy Control; optOut() (stored 1) wins over all.
const optedOut = () => load<number>(OPT_OUT) ?? (cfg.gpc && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl);

function send(event: string, properties?: Properties, token?: string): void {
  if (!cfg.project || optedOut()) return;
  const id = identity();
  const ctx = context(referrer);
  if (token) ctx.handshake_token = token;
  enqueue({
    event_id: uuid(),
    event,
    timestamp: new Date().toISOString(),
    anonymous_id: id.a,
    session_id: id.s!,
    user_id: id.u,
    properties,
    context: ctx,
  });
}

const here = () => location.href.split("#")[0];

/** Records a custom event. */
export const track = safe((event: string, properties?: Properties) => send(event, properties));

/** Records a page view of the current URL (automatic unless `autoPage: false`). */
export const page = safe((properties?: Properties) => {
  // After an in-app navigation the previous page is the referrer, not the site that linked here.
  if (lastPage && lastPage != here()) referrer = lastPage;
  lastPage = here();
  send("page_view", properties);
});

const autoPageView = () => here() != lastPage && page();

/** Ties this browser to a known user; later events carry user_id. */
export const identify = safe((userId: string, traits?: Properties) => {
  save(IDENTITY, { ...identity(), u: userId });
  send("identify", traits);
});

/** Forgets the user: a new anonymous_id and session, no user_id (e.g. on logout). */
export const reset = safe(() => save(IDENTITY, { a: uuid() }));

/** Sends waiting events now; resolves when the request is done (never rejects). */
export const flush = (): Promise<void> => Promise.resolve(safe(flushNow)() || undefined);

/** Stops all tracking on this browser and drops waiting events. */
export const optOut = safe(() => {
  save(OPT_OUT, 1);
  clear();
});

/** Allows tracking again (also overrides Global Privacy Control). */
export const optIn = safe(() => save(OPT_OUT, 0));

/** Starts the tracker; later calls are ignored. */
export const init = safe((options: Options) => {
  if (cfg.project || !options.project) return;
  configure(options);
  addEventListener("pagehide", beacon);
  addEventListener("visibilitychange", () => document.visibilityState == "hidden" && beacon());
  addEventListener("online", flushNow);

  // Cross-channel handshake: report the token once, then take it out of the address bar so it
  // cannot leak into referrers, bookmarks or the page_view URL.
  const url = new URL(location.href);
  const token = url.searchParams.get("hs_token");
  if (token) {
    url.searchParams.delete("hs_token");
    history.replaceState(history.state, "", url);
    send("handshake_complete", undefined, token);
  }

  if (autoPage(options)) {
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
});
