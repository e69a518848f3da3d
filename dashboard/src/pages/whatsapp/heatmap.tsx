import { For } from "solid-js";
import { num } from "../../lib/format";

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;

/** A cell's colour: the WhatsApp green mixed into the empty-cell colour, by share of the busiest cell. */
const shade = (v: number, max: number) =>
  v ? `color-mix(in srgb, var(--wa) ${Math.round(15 + 85 * (v / max))}%, var(--heat-empty))` : "var(--heat-empty)";

/** What a screen reader hears instead of 168 coloured cells: the busiest slot. */
function summary(matrix: number[][]): string {
  let best = { d: 0, h: 0, v: -1 };
  for (const [d, row] of matrix.entries()) for (const [h, v] of row.entries()) if (v > best.v) best = { d, h, v };
  return `Inbound messages by weekday and hour; busiest ${DAYS[best.d]} ${hh(best.h)} with ${num(best.v)} messages`;
}

/** Weekday × hour grid with a colour legend; intensity is relative to the busiest cell. */
export function Heatmap(props: { matrix: number[][] }) {
  const max = () => Math.max(1, ...props.matrix.flat());
  return (
    <div class="heatmap-wrap">
      <div class="heatmap" role="img" aria-label={summary(props.matrix)}>
        <span />
        {/* Every third hour labelled: 24 labels do not fit a phone-wide card. */}
        <For each={HOURS}>{(h) => <span class="hour">{h % 3 === 0 ? h : ""}</span>}</For>
        <For each={props.matrix}>
          {(row, d) => (
            <>
              <span class="day">{DAYS[d()]}</span>
              <For each={row}>
                {(v, h) => (
                  <span class="cell" title={`${DAYS[d()]} ${hh(h())} — ${num(v)} messages`} style={{ background: shade(v, max()) }} />
                )}
              </For>
            </>
          )}
        </For>
      </div>
      <p class="heat-legend" data-heat-legend>
        <span>0</span>
        <span class="heat-scale" />
        <span>{num(max())}</span>
        <span class="muted">messages per weekday-hour</span>
      </p>
    </div>
  );
}
