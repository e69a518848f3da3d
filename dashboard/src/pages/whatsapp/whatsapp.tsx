import { For } from "solid-js";
import { ChartView } from "../../components/chart";
import { FilterBar } from "../../components/filter-bar";
import { Loaded } from "../../components/loaded";
import { StatCard } from "../../components/stat-card";
import { figure, Table } from "../../components/table";
import { change, duration, num, pct } from "../../lib/format";
import { cssVar, seriesColor } from "../../lib/theme";
import { interval, view } from "../../lib/view-state";
import { DELIVERY_STEPS, openDrill } from "../../components/drill/drill";
import { BucketsPanel } from "../agents/support-panels";
import type { Timing, WhatsAppOverview } from "../../lib/types";
import { DeliveryTable } from "./delivery-table";
import { CsatBotHuman } from "./csat-panel";
import { Heatmap } from "./heatmap";
import { loadGrowth, loadMessagesSeries, loadPeakHours, loadWhatsApp } from "./whatsapp.data";

function ResponseTimes(props: { data: WhatsAppOverview["response_time"] }) {
  const rows: [label: string, pick: (d: WhatsAppOverview["response_time"]) => Timing | undefined][] = [
    ["First response · bot", (d) => d.first?.bot],
    ["First response · human", (d) => d.first?.human],
    ["All responses · bot", (d) => d.all?.bot],
    ["All responses · human", (d) => d.all?.human],
  ];
  return (
    <Table columns={["Response time", figure("Count"), figure("Mean"), figure("Median"), figure("p90")]} rows={rows}>
      {([label, pick]) => (
        <tr>
          <td>{label}</td>
          <td class="num">{num(pick(props.data)?.count)}</td>
          <td class="num">{duration(pick(props.data)?.mean)}</td>
          <td class="num">{duration(pick(props.data)?.median)}</td>
          <td class="num">{duration(pick(props.data)?.p90)}</td>
        </tr>
      )}
    </Table>
  );
}

const STEP_LABELS = { sent: "Sent", delivered: "Delivered", read: "Read", failed: "Failed" } as const;

/** The delivery funnel: each bar, and each step's number under the chart, lists that step's messages. */
function Delivery(props: { data: WhatsAppOverview["delivery"] }) {
  const data = () => ({
    labels: DELIVERY_STEPS.map((s) => STEP_LABELS[s]),
    datasets: [
      {
        label: "Outbound messages",
        data: DELIVERY_STEPS.map((s) => props.data[s]),
        backgroundColor: [seriesColor(0), seriesColor(1), seriesColor(2), seriesColor(4)],
      },
    ],
  });
  return (
    <>
      <ChartView
        type="bar"
        data={data()}
        height={200}
        options={{ plugins: { legend: { display: false } } }}
        label="delivery funnel (click a bar to list its messages)"
        onPoint={(i) => DELIVERY_STEPS[i] && openDrill({ figure: DELIVERY_STEPS[i] })}
      />
      {/* The bars' numbers as buttons too, for the keyboard and screen readers. */}
      <div class="row" data-delivery-steps style={{ "margin-top": "8px" }}>
        <For each={DELIVERY_STEPS}>
          {(step) => (
            <span>
              {STEP_LABELS[step]}{" "}
              <button
                type="button"
                class="link drill-number"
                data-step={step}
                title={`List the ${step} messages`}
                onClick={() => openDrill({ figure: step })}
              >
                {num(props.data[step])}
              </button>
            </span>
          )}
        </For>
      </div>
      <div class="row muted" style={{ "margin-top": "8px" }}>
        <span>Delivered {pct(props.data.delivery_rate)}</span>·<span>Read {pct(props.data.read_rate)}</span>·
        <span>Failed {pct(props.data.failure_rate)}</span>
      </div>
    </>
  );
}

/** Messages in and out per bucket of the view's interval (`GET /whatsapp/messages-series`). */
function MessagesOverTime() {
  const [series, { refetch }] = loadMessagesSeries();
  const label = (b: string) => (interval() === "hour" ? b.slice(5, 16).replace("T", " ") : b.slice(5, 10));
  return (
    <div class="card" data-panel="messages-series">
      <h2>Messages over time</h2>
      <Loaded resource={series} retry={refetch} empty={(s) => !s.series.some((b) => b.messages_in || b.messages_out)}>
        {(s) => (
          <ChartView
            type="bar"
            height={220}
            label="messages in and out over time (click a bar to list its messages)"
            data={{
              labels: s.series.map((b) => label(b.bucket)),
              datasets: [
                { label: "In", data: s.series.map((b) => b.messages_in), backgroundColor: cssVar("--wa") },
                { label: "Out", data: s.series.map((b) => b.messages_out), backgroundColor: seriesColor(0) },
              ],
            }}
            onPoint={(i, dataset) =>
              s.series[i] && openDrill({ figure: dataset === 1 ? "messages_out" : "messages_in", bucket: s.series[i].bucket })
            }
          />
        )}
      </Loaded>
    </div>
  );
}

/** WhatsApp: volume, contacts and growth, bot vs human response times, delivery, opt-outs, peak hours. */
export default function WhatsApp() {
  const [overview, { refetch }] = loadWhatsApp();
  const [growth] = loadGrowth();
  const [peak] = loadPeakHours();
  return (
    <section class="page" data-page="whatsapp">
      <header class="page-head">
        <h1>WhatsApp</h1>
        <FilterBar traffic />
      </header>
      <Loaded resource={overview} retry={refetch} empty={(d) => !d.messages_in && !d.messages_out}>
        {(d) => (
          <>
            <div class="stats">
              <StatCard
                id="messages_in"
                label="Messages in"
                value={num(d.messages_in)}
                onOpen={() => openDrill({ figure: "messages_in" })}
              />
              <StatCard
                id="messages_out"
                label="Messages out"
                value={num(d.messages_out)}
                onOpen={() => openDrill({ figure: "messages_out" })}
              />
              <StatCard
                id="unique_contacts"
                label="Unique contacts"
                value={num(d.unique_contacts)}
                onOpen={() => openDrill({ figure: "contacts" })}
              />
              <StatCard
                id="new_contacts"
                label="New contacts"
                value={num(d.new_contacts)}
                change={change(d.new_contacts, d.new_contacts_previous)}
              />
              <StatCard id="opt_out_rate" label="Opt-out rate" value={pct(d.opt_out_rate, 2)} />
              <StatCard
                id="first_human"
                label="Median first human reply"
                value={duration(d.response_time?.first?.human?.median)}
                hint={`bot: ${duration(d.response_time?.first?.bot?.median)}`}
              />
            </div>
            <div class="grid-2">
              <div class="card">
                <h2>Response times: bot vs human</h2>
                <ResponseTimes data={d.response_time} />
              </div>
              <div class="card">
                <h2>Delivery</h2>
                <Delivery data={d.delivery} />
              </div>
            </div>
          </>
        )}
      </Loaded>
      <div class="grid-2">
        <div class="card">
          <h2>New contacts per day</h2>
          <Loaded resource={growth} empty={(g) => !g.series.some((s) => s.new_contacts > 0)}>
            {(g) => (
              <ChartView
                type="bar"
                height={220}
                label="new contacts per day"
                data={{
                  labels: g.series.map((s) => s.day.slice(5, 10)),
                  datasets: [{ label: "New contacts", data: g.series.map((s) => s.new_contacts), backgroundColor: cssVar("--wa") }],
                }}
                onPoint={(i) => openDrill({ figure: "events", bucket: g.series[i]?.day, dimension: "event_name", value: "first_contact" })}
                options={{ plugins: { legend: { display: false } } }}
              />
            )}
          </Loaded>
        </div>
        <div class="card">
          <h2>Peak hours (inbound messages, {view.tz()})</h2>
          <Loaded resource={peak} empty={(p) => !p.matrix.flat().some(Boolean)}>
            {(p) => <Heatmap matrix={p.matrix} />}
          </Loaded>
        </div>
      </div>
      <div class="grid-2">
        <MessagesOverTime />
        <BucketsPanel />
      </div>
      <DeliveryTable />
      <CsatBotHuman />
    </section>
  );
}
