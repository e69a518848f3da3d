import { createSignal } from "solid-js";

/** The user's choice; "system" follows `prefers-color-scheme`. */
export type ThemePreference = "system" | "light" | "dark";
const KEY = "junction.theme";
const media = matchMedia("(prefers-color-scheme: dark)");

const stored = localStorage.getItem(KEY);
const [preference, setPreferenceSignal] = createSignal<ThemePreference>(stored === "light" || stored === "dark" ? stored : "system");
const [systemDark, setSystemDark] = createSignal(media.matches);

/** The scheme in effect: "light" or "dark". */
export const scheme = () => (preference() === "system" ? (systemDark() ? "dark" : "light") : (preference() as "light" | "dark"));

// The attribute is set before the signals change, so anything re-reading CSS variables in
// response (Chart.js colours) already sees the new scheme's values.
function apply(next: "light" | "dark") {
  document.documentElement.dataset.theme = next;
  document.documentElement.style.colorScheme = next;
}
apply(scheme());

media.addEventListener("change", (e) => {
  if (preference() === "system") apply(e.matches ? "dark" : "light");
  setSystemDark(e.matches);
});

export { preference };

/** Sets and remembers the theme. */
export function setPreference(p: ThemePreference) {
  apply(p === "system" ? (systemDark() ? "dark" : "light") : p);
  if (p === "system") localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, p);
  setPreferenceSignal(p);
}

/** A CSS custom property's value in the current scheme; reading it makes a computation follow the scheme. */
export function cssVar(name: string): string {
  scheme();
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** The n-th series colour (`--series-1`…), optionally with alpha, for Chart.js datasets. */
export function seriesColor(n: number, alpha = 1): string {
  const hex = cssVar(`--series-${(n % 7) + 1}`) || "#4f46e5";
  return alpha >= 1 ? hex : withAlpha(hex, alpha);
}

/** `#rrggbb` → `rgba(r, g, b, a)`. */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  const [r, g, b] = m.slice(1).map((x) => parseInt(x, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
