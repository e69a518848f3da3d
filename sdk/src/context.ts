import type { CaptureEvent } from "../../workers/contract/events";

export type Context = NonNullable<CaptureEvent["context"]>;

/** A v4 UUID; `randomUUID` exists only in secure contexts, so plain-http pages use getRandomValues. */
export const uuid = (): string =>
  crypto.randomUUID?.() ??
  "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (+c / 4)))).toString(16),
  );

// Wire keys of context.utm; the first five come from `utm_*` parameters, the click ids as they are.
const KEYS = ["source", "medium", "campaign", "term", "content", "gclid", "fbclid", "ctwa_clid"];

/**
 * Page, campaign and locale context of an event (DESIGN.md §3). Values are cut to the contract's
 * maximum lengths: the server rejects an over-long event rather than truncating it.
 */
export function context(referrer: string): Context {
  const query = new URLSearchParams(location.search);
  const utm: Record<string, string> = {};
  KEYS.forEach((k, i) => {
    const v = query.get(i < 5 ? "utm_" + k : k);
    if (v) utm[k] = v.slice(0, 256);
  });
  return {
    page: { url: location.href.slice(0, 2048), referrer: referrer.slice(0, 2048), title: document.title.slice(0, 512) },
    utm,
    locale: navigator.language,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    screen: screen.width + "x" + screen.height,
  };
}
