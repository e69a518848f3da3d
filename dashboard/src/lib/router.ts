import { createSignal } from "solid-js";

// Hash routing: the Worker serves dist/ as plain static assets with no SPA fallback, so every
// dashboard URL must resolve to index.html; `#/page?query` does.
export type Route = { hash: string; page: string; params: URLSearchParams };

function parse(hash: string): Route {
  const raw = hash.replace(/^#\/?/, "");
  const at = raw.indexOf("?");
  const path = at < 0 ? raw : raw.slice(0, at);
  return { hash, page: path || "overview", params: new URLSearchParams(at < 0 ? "" : raw.slice(at + 1)) };
}

// Compared by hash text: a back/forward step fires both popstate and hashchange.
const [route, setRoute] = createSignal(parse(location.hash), { equals: (a, b) => a.hash === b.hash });
const sync = () => setRoute(parse(location.hash));
window.addEventListener("hashchange", sync);
window.addEventListener("popstate", sync);

export { route };

// `,` `/` `:` `@` are legal in a fragment's query: leaving them readable keeps shared links legible
// (`path=/returns/mri`, `tab=path,country`). `+` stays encoded, or phone numbers would read as spaces.
const encode = (s: string) => encodeURIComponent(s).replace(/%(2C|2F|3A|40)/g, (m) => decodeURIComponent(m));

/** `#/<page>?<params>` */
export function hrefOf(page: string, params: URLSearchParams): string {
  const q = [...params].map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&");
  return `#/${page}${q ? "?" + q : ""}`;
}

/**
 * Moves to a new URL. `pushState` (unlike assigning location.hash) fires no event, so the route
 * signal is set here; `replace` rewrites the current history entry (for normalising a URL).
 */
export function go(hash: string, replace = false) {
  if (hash === location.hash) return;
  const url = location.pathname + location.search + hash;
  if (replace) history.replaceState(history.state, "", url);
  else history.pushState(null, "", url);
  sync();
}
