import { For } from "solid-js";

const MOVES: Record<string, (i: number, n: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowDown: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  ArrowUp: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_, n) => n - 1,
};

/**
 * A WAI-ARIA tab list: one tab in the Tab order (roving tabindex), arrow keys, Home and End move
 * between tabs and select them. `panel` is the id of the element the tabs control.
 */
export function Tabs<T extends string>(props: {
  label: string;
  items: readonly (readonly [T, string])[];
  selected: T | undefined;
  onSelect: (value: T) => void;
  panel?: string;
}) {
  let list!: HTMLDivElement;
  // With nothing selected (yet), the first tab is the one Tab reaches.
  const active = () => (props.items.some(([v]) => v === props.selected) ? props.selected : props.items[0]?.[0]);
  const onKeyDown = (e: KeyboardEvent) => {
    const move = MOVES[e.key];
    if (!move || !props.items.length) return;
    e.preventDefault();
    const current = Math.max(
      0,
      props.items.findIndex(([v]) => v === props.selected),
    );
    const next = move(current, props.items.length);
    props.onSelect(props.items[next][0]);
    list.querySelectorAll<HTMLButtonElement>("[role=tab]")[next]?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={props.label} ref={list} onKeyDown={onKeyDown}>
      <For each={props.items}>
        {([value, label]) => (
          <button
            type="button"
            role="tab"
            aria-selected={props.selected === value}
            aria-controls={props.panel}
            tabIndex={active() === value ? 0 : -1}
            class={props.selected === value ? "tab active" : "tab"}
            data-tab={value}
            onClick={() => props.onSelect(value)}
          >
            {label}
          </button>
        )}
      </For>
    </div>
  );
}
