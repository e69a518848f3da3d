import { For } from "solid-js";
import { num } from "../../lib/format";

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Weekday × hour grid; colour intensity is relative to the busiest cell. */
export function Heatmap(props: { matrix: number[][] }) {
  const max = () => Math.max(1, ...props.matrix.flat());
  return (
    <div class="heatmap" role="table" aria-label="messages by weekday and hour">
      <span />
      <For each={Array.from({ length: 24 }, (_, h) => h)}>{(h) => <span class="hour">{h % 3 === 0 ? h : ""}</span>}</For>
      <For each={props.matrix}>
        {(row, d) => (
          <>
            <span>{DAYS[d()]}</span>
            <For each={row}>
              {(v, h) => (
                <span
                  class="cell"
                  title={`${DAYS[d()]} ${String(h()).padStart(2, "0")}:00 — ${num(v)} messages`}
                  style={{ background: v ? `rgba(22, 163, 74, ${0.12 + 0.88 * (v / max())})` : "#f1f5f9" }}
                />
              )}
            </For>
          </>
        )}
      </For>
    </div>
  );
}
