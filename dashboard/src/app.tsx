import { createEffect, lazy, Match, on, Show, Switch, type Component } from "solid-js";
import { Dynamic } from "solid-js/web";
import { DrillPanel } from "./components/drill/drill-panel";
import { Nav } from "./components/nav";
import { canAdmin } from "./lib/access";
import { notice, project, readOnly, token } from "./lib/session";
import { page, setPage } from "./lib/view-state";
import Agents from "./pages/agents/agents";
import Conversations from "./pages/conversations/conversations";
import Export from "./pages/export/export";
import Funnels from "./pages/funnels/funnels";
import Live from "./pages/live/live";
import Overview from "./pages/overview/overview";
import Shares from "./pages/shares/shares";
import SignIn from "./pages/sign-in";
import Timeline from "./pages/timeline/timeline";
import WhatsApp from "./pages/whatsapp/whatsapp";

// The engagement pages load on first visit: the analytics pages people open daily stay small.
const Segments = lazy(() => import("./pages/segments/segments"));
const Campaigns = lazy(() => import("./pages/campaigns/campaigns"));
const Automations = lazy(() => import("./pages/automations/automations"));
const ContactsImport = lazy(() => import("./pages/contacts/contacts-import"));

/**
 * Every page: its URL id, its nav label and title, and who sees it (`nav: false` keeps an old
 * address working without a nav entry; `write: true` pages are hidden on a read-only share link;
 * `admin: true` pages have a nav entry for the admin token only). A new page is one row here.
 */
type PageDef = { id: string; label: string; component: Component; nav?: false; write?: true; admin?: true };
const PAGES: PageDef[] = [
  { id: "overview", label: "Overview", component: Overview },
  { id: "funnels", label: "Funnels", component: Funnels },
  { id: "whatsapp", label: "WhatsApp", component: WhatsApp },
  { id: "agents", label: "Agents", component: Agents },
  { id: "conversations", label: "Conversations", component: Conversations },
  { id: "people", label: "People", component: Timeline },
  { id: "timeline", label: "People", component: Timeline, nav: false },
  { id: "segments", label: "Segments", component: Segments },
  { id: "campaigns", label: "Campaigns", component: Campaigns },
  { id: "automations", label: "Automations", component: Automations },
  { id: "import", label: "Contacts import", component: ContactsImport, write: true },
  { id: "live", label: "Live", component: Live },
  { id: "export", label: "Export", component: Export },
  { id: "shares", label: "Share links", component: Shares, write: true, admin: true },
];
const visible = () => PAGES.filter((p) => !(p.write && readOnly()));
const current = () => visible().find((p) => p.id === page()) ?? PAGES[0];
const inNav = () => visible().filter((p) => p.nav !== false && !(p.admin && !canAdmin()));
/** The nav entry to mark current: an old address marks the page it now shows. */
const navCurrent = () => {
  const c = current();
  return c.nav === false ? (PAGES.find((p) => p.component === c.component && p.nav !== false)?.id ?? c.id) : c.id;
};

/** Moves focus to the view's heading, so a screen reader announces where a navigation landed. */
function focusHeading() {
  const h1 = document.querySelector<HTMLElement>("main h1");
  if (!h1) return;
  h1.tabIndex = -1;
  h1.focus({ preventScroll: false });
}

/** A share link that no longer works: no sign-in form, whoever holds the link has no token to type. */
function ShareEnded() {
  return (
    <main class="sign-in">
      <div class="card" role="alert" data-share-ended>
        <h1>Link unavailable</h1>
        <p data-notice>{notice() ?? "This share link was revoked or is no longer valid."}</p>
      </div>
    </main>
  );
}

/** The signed-in shell: navigation and the routed page; the sign-in page otherwise. */
export function App() {
  let main: HTMLElement | undefined;
  createEffect(
    () =>
      (document.title = token()
        ? `${current().label} · Junction${readOnly() ? " (shared)" : ""}`
        : readOnly()
          ? "Link ended · Junction"
          : "Sign in · Junction"),
  );
  // An address this tab does not show (a write page on a share link, a mistyped page) shows the
  // Overview: the URL says so too, so a reload or a copied link names the page on screen.
  createEffect(() => {
    if (token() && current().id !== page() && current() === PAGES[0]) setPage(PAGES[0].id);
  });
  // Not on first load: the page heading would steal focus from the browser's own start point.
  createEffect(
    on(
      () => current().id,
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
      <Match when={!token() && readOnly()}>
        <ShareEnded />
      </Match>
      <Match when={!token()}>
        <SignIn />
      </Match>
      <Match when={token()}>
        {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link; the click handler keeps the hash router's URL intact. */}
        <a class="skip-link" href="#main-content" onClick={skip}>
          Skip to main content
        </a>
        <div class="shell">
          <Nav pages={inNav().map((p) => [p.id, p.label] as const)} current={navCurrent()} />
          <main class="content" id="main-content" tabIndex={-1} ref={main}>
            {/* Keyed on the project so every page reloads its data when the project changes. */}
            <Show when={project()} keyed>
              <Dynamic component={current().component} />
              <DrillPanel />
            </Show>
          </main>
        </div>
      </Match>
    </Switch>
  );
}
