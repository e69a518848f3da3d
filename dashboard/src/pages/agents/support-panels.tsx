import { Show } from "solid-js";
import { ChartView } from "../../components/chart";
import { Loaded } from "../../components/loaded";
import { figure, Table } from "../../components/table";
import { duration } from "../../lib/format";
import { seriesColor } from "../../lib/theme";
import { CSAT_COLUMNS, csatCells } from "./csat-cells";
import { loadAvailability, loadBuckets, loadCsat, rate } from "./support.data";
import { AtRiskPanel, SlaPanel } from "./sla-panels";

/** Responses per response-time bucket (< 1 m … > 24 h), human and bot; also on the WhatsApp page. */
export function BucketsPanel() {
  const [buckets, { refetch }] = loadBuckets();
  const sum = (rows: number[][], i: number) => rows.reduce((n, r) => n + r[i], 0);
  return (
    <div class="card" data-panel="response-buckets">
      <h2>Response times</h2>
      <Loaded resource={buckets} retry={refetch} empty={(b) => !b.channels.length} emptyText="No responses in this range.">
        {(b) => (
          <ChartView
            type="bar"
            label="Responses per response-time bucket, human and bot"
            data={{
              labels: b.buckets.map((x) => x.label),
              datasets: [
                {
                  label: "Human",
                  data: b.buckets.map((_, i) =>
                    sum(
                      b.channels.map((c) => c.human),
                      i,
                    ),
                  ),
                  backgroundColor: seriesColor(0),
                },
                {
                  label: "Bot",
                  data: b.buckets.map((_, i) =>
                    sum(
                      b.channels.map((c) => c.bot),
                      i,
                    ),
                  ),
                  backgroundColor: seriesColor(1),
                },
              ],
            }}
          />
        )}
      </Loaded>
    </div>
  );
}

function CsatPanel() {
  const [csat, { refetch }] = loadCsat();
  return (
    <div class="card" data-panel="csat-agents">
      <h2>CSAT per agent</h2>
      <Loaded resource={csat} retry={refetch} empty={(c) => !c.overall.responses} emptyText="No CSAT responses in this range.">
        {(c) => (
          <Table name="csat-agents" columns={["Agent", ...CSAT_COLUMNS]} rows={[{ ...c.overall, agent_id: "All" }, ...c.agents]}>
            {(a) => (
              <tr>
                <td>{a.agent_id}</td>
                {csatCells(a)}
              </tr>
            )}
          </Table>
        )}
      </Loaded>
    </div>
  );
}

function AvailabilityPanel() {
  const [availability, { refetch }] = loadAvailability();
  return (
    <div class="card" data-panel="availability">
      <h2>Availability</h2>
      <Loaded resource={availability} retry={refetch} empty={(a) => !a.agents.length} emptyText="No agent status known in this range.">
        {(a) => (
          <Table
            name="availability"
            columns={["Agent", "Now", figure("Online"), figure("Occupancy"), figure("Handled / online hour")]}
            rows={[{ ...a.overall, agent_id: "All", status: undefined }, ...a.agents]}
          >
            {(r) => (
              <tr>
                <td>{r.agent_id}</td>
                <td>
                  <Show when={r.status} fallback="—">
                    <span class={`badge ${r.status}`}>{r.status}</span>
                  </Show>
                </td>
                <td class="num">{duration(r.online_s)}</td>
                <td class="num">{rate(r.occupancy)}</td>
                <td class="num">{r.handled_per_online_hour === null ? "—" : r.handled_per_online_hour.toFixed(2)}</td>
              </tr>
            )}
          </Table>
        )}
      </Loaded>
    </div>
  );
}

/** SLA, at-risk conversations, response-time buckets, CSAT and availability of the agents. */
export function SupportPanels() {
  return (
    <>
      <SlaPanel />
      <AtRiskPanel />
      <div class="grid-2">
        <BucketsPanel />
        <AvailabilityPanel />
      </div>
      <CsatPanel />
    </>
  );
}
