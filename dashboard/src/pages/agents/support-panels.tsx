import { For, Show } from "solid-js";
import { ChartView } from "../../components/chart";
import { Loaded } from "../../components/loaded";
import { StatCard } from "../../components/stat-card";
import { Tabs } from "../../components/tabs";
import type { CsatReport, SlaReport } from "../../lib/engage-types";
import { duration, num, pct } from "../../lib/format";
import { seriesColor } from "../../lib/theme";
import { setView, viewHref } from "../../lib/view-state";
import { hoursMode, loadAtRisk, loadAvailability, loadBuckets, loadCsat, loadSla } from "./support.data";

/** Wall-clock or business-hours durations, kept in the URL as the API's `hours` key. */
export function HoursToggle() {
  return (
    <Tabs
      label="Count durations in"
      items={[
        ["wall", "Wall clock"],
        ["business", "Business hours"],
      ]}
      selected={hoursMode()}
      onSelect={(h) => setView({ hours: h === "business" ? h : null })}
    />
  );
}

const rate = (r: number | null) => (r === null ? "—" : pct(r));

function SlaPanel() {
  const [sla, { refetch }] = loadSla();
  const row = (label: string, f: SlaReport["overall"]) => (
    <tr>
      <td>{label}</td>
      <td class="num">{num(f.cycles)}</td>
      <td class="num">{rate(f.first_response.met_rate)}</td>
      <td class="num">{rate(f.resolution.met_rate)}</td>
      <td class="num">{num(f.first_response.breached + f.resolution.breached)}</td>
    </tr>
  );
  return (
    <div class="card" data-panel="sla">
      <h2>SLA met</h2>
      <Loaded resource={sla} retry={refetch} empty={(s) => !s.overall.cycles} emptyText="No conversation with an SLA policy in this range.">
        {(s) => (
          <>
            <div class="stats">
              <StatCard id="sla_first_response" label="First response met" value={rate(s.overall.first_response.met_rate)} />
              <StatCard id="sla_resolution" label="Resolution met" value={rate(s.overall.resolution.met_rate)} />
            </div>
            <div class="table-wrap">
              <table class="table" data-sla-agents>
                <thead>
                  <tr>
                    <th>Agent</th>
                    <th class="num">Cycles</th>
                    <th class="num">First response met</th>
                    <th class="num">Resolution met</th>
                    <th class="num">Breaches</th>
                  </tr>
                </thead>
                <tbody>
                  {row("All", s.overall)}
                  <For each={s.agents}>{(a) => row(a.agent_id, a)}</For>
                </tbody>
              </table>
            </div>
          </>
        )}
      </Loaded>
    </div>
  );
}

function AtRiskPanel() {
  const [risk, { refetch }] = loadAtRisk();
  return (
    <div class="card" data-panel="at-risk">
      <div class="card-head">
        <h2>At risk of breaching (next hour)</h2>
        <button type="button" class="link" onClick={() => refetch()}>
          Refresh
        </button>
      </div>
      <Loaded resource={risk} retry={refetch} empty={(r) => !r.conversations.length} emptyText="No open conversation is close to an SLA target.">
        {(r) => (
          <div class="table-wrap">
            <table class="table" data-at-risk>
              <thead>
                <tr>
                  <th>Conversation</th>
                  <th>Agent</th>
                  <th>Target</th>
                  <th class="num">Time left</th>
                </tr>
              </thead>
              <tbody>
                <For each={r.conversations}>
                  {(c) => (
                    <tr classList={{ breached: c.breached }}>
                      <td>
                        <a href={viewHref("conversations", { conversation: c.conversation_id })}>{c.external_id ?? c.conversation_id}</a>
                      </td>
                      <td>{c.agent_id ?? "—"}</td>
                      <td>{c.target === "first_response" ? "First response" : "Resolution"}</td>
                      <td class="num">{c.breached ? `breached ${duration(-c.seconds_left)} ago` : duration(c.seconds_left)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </div>
  );
}

function BucketsPanel() {
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
                { label: "Human", data: b.buckets.map((_, i) => sum(b.channels.map((c) => c.human), i)), backgroundColor: seriesColor(0) },
                { label: "Bot", data: b.buckets.map((_, i) => sum(b.channels.map((c) => c.bot), i)), backgroundColor: seriesColor(1) },
              ],
            }}
          />
        )}
      </Loaded>
    </div>
  );
}

const csatCells = (g: CsatReport["overall"]) => (
  <>
    <td class="num">{num(g.responses)}</td>
    <td class="num">{g.average === null ? "—" : g.average.toFixed(2)}</td>
    <td class="num">{rate(g.satisfied_rate)}</td>
  </>
);

function CsatPanel() {
  const [csat, { refetch }] = loadCsat();
  return (
    <div class="card" data-panel="csat-agents">
      <h2>CSAT per agent</h2>
      <Loaded resource={csat} retry={refetch} empty={(c) => !c.overall.responses} emptyText="No CSAT responses in this range.">
        {(c) => (
          <div class="table-wrap">
            <table class="table" data-csat-agents>
              <thead>
                <tr>
                  <th>Agent</th>
                  <th class="num">Responses</th>
                  <th class="num">Average</th>
                  <th class="num">Satisfied</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>All</td>
                  {csatCells(c.overall)}
                </tr>
                <For each={c.agents}>
                  {(a) => (
                    <tr>
                      <td>{a.agent_id}</td>
                      {csatCells(a)}
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
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
          <div class="table-wrap">
            <table class="table" data-availability>
              <thead>
                <tr>
                  <th>Agent</th>
                  <th>Now</th>
                  <th class="num">Online</th>
                  <th class="num">Occupancy</th>
                  <th class="num">Handled / online hour</th>
                </tr>
              </thead>
              <tbody>
                <For each={[{ ...a.overall, agent_id: "All", status: undefined }, ...a.agents]}>
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
                </For>
              </tbody>
            </table>
          </div>
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
