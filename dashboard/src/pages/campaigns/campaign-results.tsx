import { For, Show } from "solid-js";
import { ChartView } from "../../components/chart";
import { Empty, Loaded } from "../../components/loaded";
import { StatCard } from "../../components/stat-card";
import { type Column, figure, Table } from "../../components/table";
import type { CampaignResults } from "../../lib/engage-types";
import { num, pct } from "../../lib/format";
import { seriesColor } from "../../lib/theme";
import { loadResults } from "./campaigns.data";

type Counts = CampaignResults["totals"];
const STEPS: [label: string, pick: (c: Counts) => number][] = [
  ["Sent", (c) => c.sent],
  ["Delivered", (c) => c.delivered],
  ["Read", (c) => c.read],
  ["Replied", (c) => c.replies],
  ["Converted", (c) => c.conversions],
];
const VARIANT_COLUMNS: Column[] = [
  "Variant",
  ...STEPS.map(([l]) => figure(l)),
  figure("Failed"),
  figure("Opt-outs"),
  figure("Conversion rate"),
];
const COMPARISON_COLUMNS: Column[] = ["Variant vs", figure("Difference"), figure("z"), figure("p"), "At 5 %"];

/** `{reason: count}` as a two-column table, largest first. */
function CountTable(props: { title: string; counts: Record<string, number>; id: string; empty: string }) {
  const rows = () => Object.entries(props.counts).sort((a, b) => b[1] - a[1]);
  return (
    <div>
      <h3>{props.title}</h3>
      <Show when={rows().length} fallback={<Empty>{props.empty}</Empty>}>
        <Table name="counts" value={props.id} rows={rows()}>
          {([k, n]) => (
            <tr>
              <td>
                <code>{k}</code>
              </td>
              <td class="num">{num(n)}</td>
            </tr>
          )}
        </Table>
      </Show>
    </div>
  );
}

/** The selected campaign: funnel per variant, skips, failures and the variants' difference. */
export function CampaignResultsPanel() {
  const [results, { refetch }] = loadResults();
  return (
    <div class="card" data-panel="campaign-results">
      <h2>Results</h2>
      <Loaded resource={results} retry={refetch}>
        {(r) => (
          <>
            <div class="stats">
              <StatCard id="audience" label="Audience" value={num(r.totals.audience)} />
              <StatCard id="sent" label="Sent" value={num(r.totals.sent)} />
              <StatCard id="delivered" label="Delivered" value={num(r.totals.delivered)} />
              <StatCard id="read" label="Read" value={num(r.totals.read)} />
              <StatCard
                id="conversions"
                label="Converted"
                value={num(r.totals.conversions)}
                hint={`rate ${pct(r.totals.conversion_rate)}`}
              />
              <StatCard id="pending" label="Pending" value={num(r.totals.pending)} />
              <Show when={r.totals.cost !== null}>
                <StatCard
                  id="cost"
                  label="Cost"
                  value={r.totals.cost!.toFixed(2)}
                  hint={r.totals.cost_per_conversion === null ? undefined : `${r.totals.cost_per_conversion.toFixed(2)} per conversion`}
                />
              </Show>
            </div>
            <ChartView
              type="bar"
              label="Conversion funnel per variant: sent, delivered, read, replied, converted"
              data={{
                labels: STEPS.map(([l]) => l),
                datasets: r.variants.map((v, i) => ({
                  label: `Variant ${v.name}`,
                  data: STEPS.map(([, pick]) => pick(v)),
                  backgroundColor: seriesColor(i),
                })),
              }}
            />
            <Table name="variants" columns={VARIANT_COLUMNS} rows={r.variants}>
              {(v) => (
                <tr data-variant={v.name}>
                  <td>{v.name}</td>
                  <For each={STEPS}>{([, pick]) => <td class="num">{num(pick(v))}</td>}</For>
                  <td class="num">{num(v.failed)}</td>
                  <td class="num">{num(v.opt_outs)}</td>
                  <td class="num">{pct(v.conversion_rate)}</td>
                </tr>
              )}
            </Table>
            <Show when={r.comparisons.length}>
              <Table name="comparisons" columns={COMPARISON_COLUMNS} rows={r.comparisons}>
                {(c) => (
                  <tr>
                    <td>
                      {c.variant} vs {c.against}
                    </td>
                    <td class="num">
                      {c.difference === null ? "—" : `${c.difference >= 0 ? "+" : ""}${(c.difference * 100).toFixed(2)} pts`}
                    </td>
                    <td class="num">{c.z === null ? "—" : c.z.toFixed(2)}</td>
                    <td class="num">{c.p_value === null ? "—" : c.p_value.toFixed(4)}</td>
                    <td>{c.p_value === null ? "not enough data" : c.p_value < 0.05 ? "significant" : "not significant"}</td>
                  </tr>
                )}
              </Table>
            </Show>
            <div class="grid-2">
              <CountTable title="Skipped by reason" id="skipped" counts={r.totals.skipped} empty="Nobody skipped." />
              <CountTable title="Failures by code" id="failed" counts={r.totals.failed_by_code} empty="No failures." />
            </div>
          </>
        )}
      </Loaded>
    </div>
  );
}
