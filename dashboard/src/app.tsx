import { createSignal, For, Match, Show, Switch, type Component } from "solid-js";
import { Dynamic } from "solid-js/web";
import { route } from "./lib/router";
import { project, setProject, signOut, token } from "./lib/session";
import Agents from "./pages/agents/agents";
import Export from "./pages/export/export";
import Funnels from "./pages/funnels/funnels";
import Live from "./pages/live/live";
import Overview from "./pages/overview/overview";
import SignIn from "./pages/sign-in";
import Timeline from "./pages/timeline/timeline";
import WhatsApp from "./pages/whatsapp/whatsapp";

const PAGES: [id: string, label: string, component: Component][] = [
  ["overview", "Overview", Overview],
  ["funnels", "Funnels", Funnels],
  ["whatsapp", "WhatsApp", WhatsApp],
  ["agents", "Agents", Agents],
  ["timeline", "Person timeline", Timeline],
  ["live", "Live", Live],
  ["export", "Export", Export],
];

function ProjectSwitcher() {
  const [draft, setDraft] = createSignal(project());
  return (
    <form class="project" onSubmit={(e) => (e.preventDefault(), setProject(draft().trim() || "demo"))}>
      <label>
        Project
        <input name="project-switch" list="projects" value={draft()} onInput={(e) => setDraft(e.currentTarget.value)} onChange={(e) => setProject(e.currentTarget.value.trim() || "demo")} size={10} />
      </label>
      <datalist id="projects">
        <option value="demo" />
      </datalist>
    </form>
  );
}

/** The signed-in shell: navigation on the left, the routed page on the right. */
export function App() {
  const current = () => PAGES.find(([id]) => id === route().page) ?? PAGES[0];
  return (
    <Switch>
      <Match when={!token()}>
        <SignIn />
      </Match>
      <Match when={token()}>
        <div class="shell">
          <nav class="nav">
            <div class="brand">
              <span class="logo" /> Junction
            </div>
            <ProjectSwitcher />
            <For each={PAGES}>
              {([id, label]) => (
                <a href={`#/${id}`} class={current()[0] === id ? "active" : ""} aria-current={current()[0] === id ? "page" : undefined}>
                  {label}
                </a>
              )}
            </For>
            <button class="link sign-out" onClick={signOut}>
              Sign out
            </button>
          </nav>
          <main class="content">
            {/* Keyed on the project so every page reloads its data when the project changes. */}
            <Show when={project()} keyed>
              <Dynamic component={current()[2]} />
            </Show>
          </main>
        </div>
      </Match>
    </Switch>
  );
}
