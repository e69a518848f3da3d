import { createSignal, For } from "solid-js";
import { Loaded } from "../../components/loaded";
import { num } from "../../lib/format";
import { loadBreakdown } from "./overview.data";

/** A top-N table with tabs over related dimensions; bars are relative to the top row. */
export function BreakdownPanel(props: { title: string; tabs: [dimension: string, label: string][] }) {
  const [dimension, setDimension] = createSignal(props.tabs[0][0]);
  const [breakdown, { refetch }] = loadBreakdown(dimension);
  return (
    <div class="card breakdown" data-breakdown={props.title}>
      <div class="card-head">
        <h2>{props.title}</h2>
        <div class="tabs" role="tablist">
          <For each={props.tabs}>
            {([dim, label]) => (
              <button role="tab" aria-selected={dimension() === dim} class={dimension() === dim ? "tab active" : "tab"} onClick={() => setDimension(dim)}>
                {label}
              </button>
            )}
          </For>
        </div>
      </div>
      <Loaded resource={breakdown} retry={refetch} empty={(d) => !d.rows.length}>
        {(data) => {
          const max = () => Math.max(1, ...data.rows.map((r) => r.visitors));
          return (
            <table class="table">
              <thead>
                <tr>
                  <th>{props.tabs.find(([d]) => d === data.dimension)?.[1] ?? data.dimension}</th>
                  <th class="num">Visitors</th>
                  <th class="num">Pageviews</th>
                  <th class="num">Events</th>
                </tr>
              </thead>
              <tbody>
                <For each={data.rows}>
                  {(row) => (
                    <tr>
                      <td class="bar-cell">
                        <span class="bar" style={{ width: `${(row.visitors / max()) * 100}%` }} />
                        <span class="bar-label">{row.value ?? (data.dimension === "referrer" ? "(direct)" : "(none)")}</span>
                      </td>
                      <td class="num">{num(row.visitors)}</td>
                      <td class="num">{num(row.pageviews)}</td>
                      <td class="num">{num(row.events)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          );
        }}
      </Loaded>
    </div>
  );
}
