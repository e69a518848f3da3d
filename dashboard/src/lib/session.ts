import { createSignal } from "solid-js";

const TOKEN_KEY = "junction.token";
const PROJECT_KEY = "junction.project";

/**
 * A share link (`/?project=…&share=<token>#/…`, docs/api.md) opens a read-only dashboard of one
 * project: its token is used for this tab only (never stored, never replacing a signed-in one),
 * the project is fixed and write controls are hidden.
 */
const query = new URLSearchParams(location.search);
export const shared: { token: string; project: string } | undefined = query.get("share")
  ? { token: query.get("share")!, project: query.get("project") || "demo" }
  : undefined;
/** True on a share link: nothing may be changed, only looked at. */
export const readOnly = () => !!shared;

// The token lives in localStorage so a reload keeps the user signed in; it is a read token in
// daily use, and the admin token only on a developer's own machine.
const [token, setTokenSignal] = createSignal<string | null>(shared ? shared.token : localStorage.getItem(TOKEN_KEY));
const [project, setProjectSignal] = createSignal<string>(shared?.project ?? (localStorage.getItem(PROJECT_KEY) || "demo"));
/** Why the user is looking at the sign-in page, when it was not their choice. */
const [notice, setNotice] = createSignal<string>();

export { token, project, notice };

/** Stores the token and project after a successful check against the API. */
export function signIn(newToken: string, newProject: string) {
  localStorage.setItem(TOKEN_KEY, newToken);
  localStorage.setItem(PROJECT_KEY, newProject);
  setNotice(undefined);
  setProjectSignal(newProject);
  setTokenSignal(newToken);
}

/** Forgets the token (and keeps the project as the next sign-in's default). */
export function signOut(why?: string) {
  if (!shared) localStorage.removeItem(TOKEN_KEY);
  setNotice(why);
  setTokenSignal(null);
}

/** A 401 on the stored token: it expired or was revoked, so every panel would fail the same way. */
export function expireSession() {
  if (token()) signOut(shared ? "This share link was revoked or is no longer valid." : "Your session expired — sign in again.");
}

/** Switches the project every page reads from. */
export function setProject(id: string) {
  if (shared) return;
  localStorage.setItem(PROJECT_KEY, id);
  setProjectSignal(id);
}
