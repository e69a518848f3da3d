import { createSignal } from "solid-js";

// Hash routing: the Worker serves dist/ as plain static assets with no SPA fallback, so every
// dashboard URL must resolve to index.html; `#/page?query` does.
function parse(hash: string) {
  const raw = hash.replace(/^#\/?/, "");
  const [path, search = ""] = raw.split("?");
  return { page: path || "overview", params: new URLSearchParams(search) };
}

const [route, setRoute] = createSignal(parse(location.hash));
window.addEventListener("hashchange", () => setRoute(parse(location.hash)));

export { route };

/** Navigates to `#/<page>?<params>`. */
export function navigate(page: string, params: Record<string, string> = {}) {
  const q = new URLSearchParams(params).toString();
  location.hash = `#/${page}${q ? "?" + q : ""}`;
}
