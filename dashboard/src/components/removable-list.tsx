import { For } from "solid-js";

/** The items a form has collected so far, each shown as code with a Remove button; `name` sets `data-<name>`. */
export function RemovableList<T>(props: { name: string; items: T[]; text: (item: T) => string; set: (items: T[]) => void }) {
  return (
    <ol class="conditions" {...{ [`data-${props.name}`]: "" }}>
      <For each={props.items}>
        {(item, i) => (
          <li>
            <code class="wrap">{props.text(item)}</code>
            <button type="button" class="link" onClick={() => props.set(props.items.filter((_, j) => j !== i()))}>
              Remove
            </button>
          </li>
        )}
      </For>
    </ol>
  );
}
