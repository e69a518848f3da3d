import { createSignal } from "solid-js";

const TOKEN_KEY = "junction.token";
const PROJECT_KEY = "junction.project";

// The token lives in localStorage so a reload keeps the user signed in; it is a read token in
// daily use, and the admin token only on a developer's own machine.
const [token, setTokenSignal] = createSignal<string | null>(localStorage.getItem(TOKEN_KEY));
const [project, setProjectSignal] = createSignal<string>(localStorage.getItem(PROJECT_KEY) || "demo");
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
  localStorage.removeItem(TOKEN_KEY);
  setNotice(why);
  setTokenSignal(null);
}

/** A 401 on the stored token: it expired or was revoked, so every panel would fail the same way. */
export function expireSession() {
  if (token()) signOut("Your session expired — sign in again.");
}

/** Switches the project every page reads from. */
export function setProject(id: string) {
  localStorage.setItem(PROJECT_KEY, id);
  setProjectSignal(id);
}
