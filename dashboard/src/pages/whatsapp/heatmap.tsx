import { createSignal, For } from "solid-js";
import { openDrill } from "../../components/drill/drill";
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

// Arrow keys move between cells (one Tab stop for the 168 of them, as a grid).
const MOVES: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

/**
 * Weekday × hour grid with a colour legend; intensity is relative to the busiest cell. A cell
 * with messages lists them (the drill-down), filtered as the grid.
 */
export function Heatmap(props: { matrix: number[][] }) {
  const max = () => Math.max(1, ...props.matrix.flat());
  const [focus, setFocus] = createSignal<[number, number]>([0, 0]);
  let grid!: HTMLDivElement;
  const onKeyDown = (e: KeyboardEvent) => {
    const move = MOVES[e.key];
    if (!move) return;
    e.preventDefault();
    const [d, h] = focus();
    const next: [number, number] = [(d + move[0] + 7) % 7, (h + move[1] + 24) % 24];
    setFocus(next);
    grid.querySelector<HTMLElement>(`[data-cell="${next[0]}-${next[1]}"]`)?.focus();
  };
  return (
    <div class="heatmap-wrap">
      <p class="sr-only">{summary(props.matrix)}</p>
      {/* biome-ignore lint/a11y/useSemanticElements: a grid of drill-down cells, not form controls, so not a fieldset */}
      <div class="heatmap" ref={grid} onKeyDown={onKeyDown} role="group" aria-label="Inbound messages by weekday and hour">
        <span />
        {/* Every third hour labelled: 24 labels do not fit a phone-wide card. */}
        <For each={HOURS}>{(h) => <span class="hour">{h % 3 === 0 ? h : ""}</span>}</For>
        <For each={props.matrix}>
          {(row, d) => (
            <>
              <span class="day">{DAYS[d()]}</span>
              <For each={row}>
                {(v, h) => (
                  <button
                    type="button"
                    class="cell"
                    data-cell={`${d()}-${h()}`}
                    tabIndex={focus()[0] === d() && focus()[1] === h() ? 0 : -1}
                    title={`${DAYS[d()]} ${hh(h())} — ${num(v)} messages`}
                    aria-label={`${DAYS[d()]} ${hh(h())}: ${num(v)} messages`}
                    style={{ background: shade(v, max()) }}
                    onFocus={() => setFocus([d(), h()])}
                    onClick={() => v && openDrill({ figure: "messages", weekday: d(), hour: h() })}
                  />
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
