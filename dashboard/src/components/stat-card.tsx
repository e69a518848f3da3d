import { Show } from "solid-js";
import { pct } from "../lib/format";

/** A headline number with its change against the previous period; with `onOpen`, a button that lists what it counts. */
export function StatCard(props: {
  label: string;
  value: string;
  change?: number | null;
  invert?: boolean;
  hint?: string;
  id?: string;
  onOpen?: () => void;
}) {
  const tone = () => {
    const c = props.change;
    if (c === null || c === undefined || c === 0) return "flat";
    return c > 0 !== !!props.invert ? "up" : "down";
  };
  return (
    <div class="card stat" data-stat={props.id}>
      <div class="stat-label">{props.label}</div>
      <div class="stat-value" data-value>
        <Show when={props.onOpen} fallback={props.value}>
          <button
            type="button"
            class="link drill-number"
            title={`List the ${props.label.toLowerCase()} behind this number`}
            onClick={() => props.onOpen!()}
          >
            {props.value}
          </button>
        </Show>
      </div>
      <Show when={props.change !== undefined}>
        <div class={`stat-change ${tone()}`} title="vs previous period">
          {props.change === null
            ? "no previous data"
            : `${props.change! > 0 ? "▲" : props.change! < 0 ? "▼" : "•"} ${pct(Math.abs(props.change!))}`}
        </div>
      </Show>
      <Show when={props.hint}>
        <div class="stat-hint">{props.hint}</div>
      </Show>
    </div>
  );
}
