import { For, Show } from "solid-js";
import { closestName, loadEventSeen, loadPropertyKeys } from "./funnels.data";

export type Row = { event: string; channel: "" | "web" | "whatsapp"; where: string };

/**
 * One step of the builder. An event name never seen in the range gets a hint (and the closest
 * seen name) instead of a funnel of silent zeros; the event's property keys are offered for "where".
 */
export function StepRow(props: {
  index: number;
  row: Row;
  seen: string[] | undefined;
  removable: boolean;
  onChange: (patch: Partial<Row>) => void;
  onRemove: () => void;
}) {
  // Asked only for names seen in the range: not on every keystroke of a name being typed.
  const [keys] = loadPropertyKeys(() => (props.seen?.includes(props.row.event.trim()) ? props.row.event : ""));
  const [found] = loadEventSeen(
    () => props.row.event,
    () => props.seen,
  );
  // Only once the range is known not to hold the name (a rare name may sit past the top 100).
  const unknown = () =>
    !!props.row.event.trim() &&
    !!props.seen?.length &&
    !props.seen.includes(props.row.event.trim()) &&
    found.state === "ready" &&
    found() === false;
  const addKey = (key: string) => {
    const where = props.row.where.trim();
    props.onChange({ where: `${where ? `${where}, ` : ""}${key}=` });
  };
  return (
    <div class="step-row" data-step-row={props.index}>
      <label>
        Step {props.index + 1} event
        <input
          name={`step-${props.index}`}
          list="event-names"
          value={props.row.event}
          aria-invalid={unknown()}
          aria-describedby={unknown() ? `step-hint-${props.index}` : undefined}
          onInput={(e) => props.onChange({ event: e.currentTarget.value })}
        />
      </label>
      <label>
        Channel
        <select value={props.row.channel} onChange={(e) => props.onChange({ channel: e.currentTarget.value as Row["channel"] })}>
          <option value="">Any</option>
          <option value="web">Web</option>
          <option value="whatsapp">WhatsApp</option>
        </select>
      </label>
      <label>
        Where (path=…, key=value, …)
        <input
          name={`where-${props.index}`}
          value={props.row.where}
          placeholder="journey=MRI"
          onInput={(e) => props.onChange({ where: e.currentTarget.value })}
        />
      </label>
      <Show when={props.removable}>
        <button type="button" class="secondary" aria-label={`remove step ${props.index + 1}`} onClick={() => props.onRemove()}>
          ✕
        </button>
      </Show>
      <Show when={unknown()}>
        <p class="step-hint" id={`step-hint-${props.index}`} role="status" data-step-hint>
          No “{props.row.event.trim()}” events in this range, so this step would count nobody.
          <Show when={closestName(props.row.event.trim(), props.seen ?? [])}>
            {(name) => (
              <>
                {" "}
                Did you mean{" "}
                <button type="button" class="link" onClick={() => props.onChange({ event: name() })}>
                  {name()}
                </button>
                ?
              </>
            )}
          </Show>
        </p>
      </Show>
      <Show when={!unknown() && keys.latest?.length}>
        <p class="step-keys muted" data-property-keys>
          Properties:{" "}
          <For each={keys.latest}>
            {(k) => (
              <button type="button" class="link" onClick={() => addKey(k)}>
                {k}
              </button>
            )}
          </For>
        </p>
      </Show>
    </div>
  );
}
