import { createEffect, Match, on, Show, Switch, type Component } from "solid-js";
import { Dynamic } from "solid-js/web";
import { Nav } from "./components/nav";
import { project, token } from "./lib/session";
import { page } from "./lib/view-state";
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

/** Moves focus to the view's heading, so a screen reader announces where a navigation landed. */
function focusHeading() {
  const h1 = document.querySelector<HTMLElement>("main h1");
  if (!h1) return;
  h1.tabIndex = -1;
  h1.focus({ preventScroll: false });
}

/** The signed-in shell: navigation and the routed page; the sign-in page otherwise. */
export function App() {
  const current = () => PAGES.find(([id]) => id === page()) ?? PAGES[0];
  let main: HTMLElement | undefined;
  createEffect(() => (document.title = token() ? `${current()[1]} · Junction` : "Sign in · Junction"));
  // Not on first load: the page heading would steal focus from the browser's own start point.
  createEffect(
    on(
      () => current()[0],
      () => queueMicrotask(focusHeading),
      { defer: true },
    ),
  );
  const skip = (e: MouseEvent) => {
    // A plain #main-content link would be read as a route by the hash router.
    e.preventDefault();
    main?.focus();
  };
  return (
    <Switch>
      <Match when={!token()}>
        <SignIn />
      </Match>
      <Match when={token()}>
        {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link; the click handler keeps the hash router's URL intact. */}
        <a class="skip-link" href="#main-content" onClick={skip}>
          Skip to main content
        </a>
        <div class="shell">
          <Nav pages={PAGES.map(([id, label]) => [id, label] as const)} current={current()[0]} />
          <main class="content" id="main-content" tabIndex={-1} ref={main}>
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
