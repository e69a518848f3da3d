import type { CaptureEvent } from "../../workers/contract/events";

export type Context = NonNullable<CaptureEvent["context"]>;

/**
 * A v4 UUID. `randomUUID` exists only in secure contexts; elsewhere (plain-http pages) a blob URL
 * carries a browser-made v4 UUID, for a fraction of the bytes of a hand-rolled generator.
 */
export const uuid = (): string => crypto.randomUUID?.() ?? URL.createObjectURL(new Blob()).slice(-36);

// Wire keys of context.utm; the first five come from `utm_*` parameters, the click ids as they are.
const KEYS = ["source", "medium", "campaign", "term", "content", "gclid", "fbclid", "ctwa_clid"];

/**
 * Page, campaign and locale context of an event (docs/architecture.md, HTTP surface). The referrer stays the site that
 * sent the visitor, also after SPA navigations, so referrer reports are not flooded by the site itself. Values are cut to the contract's
 * maximum lengths: the server rejects an over-long event rather than truncating it.
 */
export function context(): Context {
  const query = new URLSearchParams(location.search);
  const utm: Record<string, string> = {};
  KEYS.forEach((k, i) => {
    const v = query.get(i < 5 ? "utm_" + k : k);
    if (v) utm[k] = v.slice(0, 256);
  });
  return {
    page: { url: location.href.slice(0, 2048), referrer: document.referrer.slice(0, 2048), title: document.title.slice(0, 512) },
    utm,
    locale: navigator.language,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    screen: screen.width + "x" + screen.height,
  };
}
