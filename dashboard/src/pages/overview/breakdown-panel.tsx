import { createSignal, createUniqueId, Show } from "solid-js";
import { Loaded } from "../../components/loaded";
import { figure, Table } from "../../components/table";
import { Tabs } from "../../components/tabs";
import { filterKeyOf } from "../../lib/dimensions";
import { num } from "../../lib/format";
import { addFilter, param, setView, trafficQuery } from "../../lib/view-state";
import { loadBreakdown } from "./overview.data";
import { openDrill, type DrillFigure } from "../../components/drill/drill";

/** A row's number as a button that lists who (or what) it counts; the row's label filters instead. */
function DrillNumber(props: { figure: DrillFigure; dimension: string; value: string | null; n: number | null | undefined }) {
  return (
    <Show when={props.n} fallback={num(props.n)}>
      <button
        type="button"
        class="link drill-number"
        title={`List the ${props.figure} behind this number`}
        onClick={() => openDrill({ figure: props.figure, dimension: props.dimension, value: props.value ?? "" })}
      >
        {num(props.n)}
      </button>
    </Show>
  );
}

const PAGE = 10;
const MAX_LIMIT = 1000;

/**
 * A top-N table with tabs over related dimensions; bars are relative to the top row. The tab is in
 * the URL (`tab=` lists each panel's choice; the panels' dimensions do not overlap). Clicking a
 * row's label filters the whole view by that value; clicking one of its numbers lists what it counts.
 */
export function BreakdownPanel(props: { title: string; tabs: [dimension: string, label: string][] }) {
  const chosen = () => param("tab").split(",").filter(Boolean);
  const mine = (d: string) => props.tabs.some(([t]) => t === d);
  const dimension = () => chosen().find(mine) ?? props.tabs[0][0];
  const select = (d: string) => setView({ tab: [...chosen().filter((t) => !mine(t)), d].join(",") });
  // More rows belong to one dimension and one query: a new tab or filter starts from the top 10 again.
  const key = () => JSON.stringify([dimension(), trafficQuery()]);
  const [more, setMore] = createSignal({ key: "", limit: PAGE });
  const limit = () => (more().key === key() ? more().limit : PAGE);
  const [breakdown, { refetch }] = loadBreakdown(dimension, limit);
  const panel = createUniqueId();
  const labelOf = (d: string) => props.tabs.find(([t]) => t === d)?.[1] ?? d;
  return (
    <div class="card breakdown" data-breakdown={props.title}>
      <div class="card-head">
        <h2>{props.title}</h2>
        <Tabs label={`${props.title} by`} items={props.tabs} selected={dimension()} onSelect={select} panel={panel} />
      </div>
      <div id={panel} role="tabpanel" aria-label={`${props.title}: ${labelOf(dimension())}`}>
        <Loaded resource={breakdown} retry={refetch} empty={(d) => !d.rows.length}>
          {(data) => {
            const max = () => Math.max(1, ...data.rows.map((r) => r.visitors ?? 0));
            const none = data.dimension === "referrer" ? "(direct)" : "(none)";
            return (
              <>
                <Table columns={[labelOf(data.dimension), figure("Visitors"), figure("Pageviews"), figure("Events")]} rows={data.rows}>
                  {(row) => (
                    <tr>
                      <td class="bar-cell">
                        <span class="bar" style={{ width: `${((row.visitors ?? 0) / max()) * 100}%` }} />
                        <Show when={row.value} fallback={<span class="bar-label muted">{none}</span>}>
                          {(value) => (
                            <button
                              type="button"
                              class="bar-label row-filter"
                              title={`Filter by ${labelOf(data.dimension)} = ${value()}`}
                              onClick={() => addFilter(filterKeyOf(data.dimension), value())}
                            >
                              {value()}
                            </button>
                          )}
                        </Show>
                      </td>
                      <td class="num">
                        <DrillNumber figure="visitors" dimension={data.dimension} value={row.value} n={row.visitors} />
                      </td>
                      <td class="num">
                        <DrillNumber figure="pageviews" dimension={data.dimension} value={row.value} n={row.pageviews} />
                      </td>
                      <td class="num">
                        <DrillNumber figure="events" dimension={data.dimension} value={row.value} n={row.events} />
                      </td>
                    </tr>
                  )}
                </Table>
                <Show when={data.rows.length >= limit() && limit() < MAX_LIMIT}>
                  <button
                    type="button"
                    class="link show-more"
                    onClick={() => setMore({ key: key(), limit: Math.min(MAX_LIMIT, limit() + PAGE * 2) })}
                  >
                    Show more
                  </button>
                </Show>
              </>
            );
          }}
        </Loaded>
      </div>
    </div>
  );
}
