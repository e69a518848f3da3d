import { createEffect, createSignal, For, on, Show } from "solid-js";
import { readOnly, signOut, project } from "../lib/session";
import { preference, setPreference, type ThemePreference } from "../lib/theme";
import { page, setView, viewHref } from "../lib/view-state";

function ProjectSwitcher() {
  const [draft, setDraft] = createSignal(project());
  // The project can change under the field (a pasted link): keep the field in step.
  createEffect(() => setDraft(project()));
  const apply = (id: string) => setView({ project: id.trim() || "demo" });
  return (
    <form class="project" onSubmit={(e) => (e.preventDefault(), apply(draft()))}>
      <label>
        Project
        <input
          name="project-switch"
          list="projects"
          value={draft()}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onChange={(e) => apply(e.currentTarget.value)}
          size={10}
        />
      </label>
      <datalist id="projects">
        <option value="demo" />
      </datalist>
    </form>
  );
}

function ThemeSelect() {
  return (
    <label class="theme-select">
      Theme
      <select name="theme" onChange={(e) => setPreference(e.currentTarget.value as ThemePreference)}>
        {(["system", "light", "dark"] as const).map((p) => (
          <option value={p} selected={preference() === p}>
            {p === "system" ? "System" : p === "light" ? "Light" : "Dark"}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A sidebar on wide screens; below 760 px a top bar whose menu button opens the same links
 * (styles.css). Links keep the view's range, zone and filters.
 */
export function Nav(props: { pages: readonly (readonly [id: string, label: string])[]; current: string }) {
  const [open, setOpen] = createSignal(false);
  createEffect(on(page, () => setOpen(false), { defer: true }));
  return (
    <nav class="nav" classList={{ open: open() }} aria-label="Main">
      <div class="nav-bar">
        <div class="brand">
          <span class="logo" /> Junction
        </div>
        <button
          type="button"
          class="menu-button secondary"
          aria-expanded={open()}
          aria-controls="nav-menu"
          onClick={() => setOpen(!open())}
        >
          {open() ? "Close" : "Menu"}
        </button>
      </div>
      <div class="nav-menu" id="nav-menu">
        <Show
          when={!readOnly()}
          fallback={
            <p class="nav-shared" data-read-only>
              Shared view of {project()} · read-only
            </p>
          }
        >
          <ProjectSwitcher />
        </Show>
        <For each={props.pages}>
          {([id, label]) => (
            <a
              href={viewHref(id)}
              class={props.current === id ? "active" : ""}
              aria-current={props.current === id ? "page" : undefined}
              onClick={() => setOpen(false)}
            >
              {label}
            </a>
          )}
        </For>
        <div class="nav-foot">
          <ThemeSelect />
          <Show when={!readOnly()}>
            <button type="button" class="link sign-out" onClick={() => signOut()}>
              Sign out
            </button>
          </Show>
        </div>
      </div>
    </nav>
  );
}
