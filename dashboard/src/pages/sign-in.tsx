import { createSignal, Show } from "solid-js";
import { ErrorState } from "../components/loaded";
import { verifyToken } from "../lib/api";
import { notice, project, signIn } from "../lib/session";
import { setView } from "../lib/view-state";

/** Token sign-in: the token is checked against the project before it is stored. */
export default function SignIn() {
  const [token, setToken] = createSignal("");
  const [projectId, setProjectId] = createSignal(project());
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await verifyToken(token().trim(), projectId().trim());
      // The URL names the project (lib/view-state): point it at the one just signed in to.
      setView({ project: projectId().trim() }, true);
      signIn(token().trim(), projectId().trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form class="card" onSubmit={submit} aria-label="Sign in">
        <h1>
          <span class="logo" /> Junction
        </h1>
        <Show when={notice()}>
          <p class="notice" role="status" data-notice>
            {notice()}
          </p>
        </Show>
        <p class="muted">Web + WhatsApp journey analytics. Sign in with a project read token or the admin token.</p>
        <label>
          Token
          <input
            name="token"
            type="password"
            autocomplete="current-password"
            required
            value={token()}
            onInput={(e) => setToken(e.currentTarget.value)}
            placeholder="demo-read-token"
          />
        </label>
        <label>
          Project
          <input name="project" required value={projectId()} onInput={(e) => setProjectId(e.currentTarget.value)} />
        </label>
        <Show when={error()}>
          <ErrorState error={error()} />
        </Show>
        <button type="submit" disabled={busy()}>
          {busy() ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
