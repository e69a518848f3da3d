import { For, Show } from "solid-js";
import { ChartView } from "../../components/chart";
import { FilterBar } from "../../components/filter-bar";
import { Empty, Loaded } from "../../components/loaded";
import { StatCard } from "../../components/stat-card";
import { change, duration, num, pct } from "../../lib/format";
import { seriesColor } from "../../lib/theme";
import { interval } from "../../lib/view-state";
import type { Overview as OverviewData } from "../../lib/types";
import { openDrill } from "../../components/drill/drill";
import { BreakdownPanel } from "./breakdown-panel";
import { loadOverview } from "./overview.data";

function bucketLabel(bucket: string) {
  // Buckets are local dates/times in the chosen timezone; keep the part that matters per interval.
  return interval() === "hour" ? bucket.replace(/^\d{4}-(\d\d-\d\d)[T ](\d\d:\d\d).*$/, "$1 $2") : bucket.slice(0, 10);
}

function Totals(props: { data: OverviewData }) {
  const t = () => props.data.totals;
  const delta = (k: keyof OverviewData["totals"]) => change(t()[k], props.data.previous[k]);
  return (
    <div class="stats">
      <StatCard
        id="visitors"
        onOpen={() => openDrill({ figure: "visitors" })}
        label="Visitors"
        value={num(t().visitors)}
        change={delta("visitors")}
      />
      <StatCard
        id="sessions"
        onOpen={() => openDrill({ figure: "sessions" })}
        label="Sessions"
        value={num(t().sessions)}
        change={delta("sessions")}
      />
      <StatCard
        id="pageviews"
        onOpen={() => openDrill({ figure: "pageviews" })}
        label="Pageviews"
        value={num(t().pageviews)}
        change={delta("pageviews")}
      />
      <StatCard
        id="events"
        onOpen={() => openDrill({ figure: "events" })}
        label="Events"
        value={num(t().events)}
        change={delta("events")}
      />
      <StatCard id="bounce_rate" label="Bounce rate" value={pct(t().bounce_rate)} change={delta("bounce_rate")} invert />
      <StatCard
        id="avg_session_seconds"
        label="Avg. session"
        value={duration(t().avg_session_seconds)}
        change={delta("avg_session_seconds")}
      />
    </div>
  );
}

function Series(props: { data: OverviewData }) {
  const keys = ["visitors", "sessions", "pageviews", "events"] as const;
  const data = () => ({
    labels: props.data.series.map((s) => bucketLabel(s.bucket)),
    datasets: keys.map((k, i) => ({
      label: k[0].toUpperCase() + k.slice(1),
      data: props.data.series.map((s) => s[k]),
      borderColor: seriesColor(i),
      backgroundColor: seriesColor(i, 0.13),
      fill: i === 0,
      tension: 0.25,
      pointRadius: 0,
      hidden: k === "events",
    })),
  });
  // A click anywhere over a bucket lists the visitors of that bucket (interaction mode "index").
  const onPoint = (index: number) => {
    const bucket = props.data.series[index]?.bucket;
    if (bucket) openDrill({ figure: "visitors", bucket });
  };
  return <ChartView type="line" data={data()} label="traffic over time (click a day to list its visitors)" onPoint={onPoint} />;
}

/** The series as a table whose numbers open their bucket's list: the chart's keyboard and screen-reader equivalent. */
function SeriesTable(props: { data: OverviewData }) {
  const keys = ["visitors", "sessions", "pageviews", "events"] as const;
  return (
    <details class="series-table">
      <summary>Show as a table</summary>
      <div class="table-wrap">
        <table class="table" data-series-table>
          <thead>
            <tr>
              <th>{interval() === "hour" ? "Hour" : "Date"}</th>
              <For each={keys}>{(k) => <th class="num">{k[0].toUpperCase() + k.slice(1)}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={props.data.series}>
              {(p) => (
                <tr data-bucket={p.bucket}>
                  <td>{bucketLabel(p.bucket)}</td>
                  <For each={keys}>
                    {(k) => (
                      <td class="num">
                        <Show when={p[k]} fallback="0">
                          <button type="button" class="link drill-number" onClick={() => openDrill({ figure: k, bucket: p.bucket })}>
                            {num(p[k])}
                          </button>
                        </Show>
                      </td>
                    )}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** Overview: traffic totals vs the previous period, the series, and the top breakdowns. */
export default function Overview() {
  const [overview, { refetch }] = loadOverview();
  return (
    <section class="page" data-page="overview">
      <header class="page-head">
        <h1>Overview</h1>
        <FilterBar interval traffic />
      </header>
      <Loaded resource={overview} retry={refetch}>
        {(data) => (
          <>
            <Totals data={data} />
            <div class="card">
              <h2>Traffic</h2>
              <Show when={data.series.some((p) => p.events > 0)} fallback={<Empty />}>
                <Series data={data} />
                <SeriesTable data={data} />
              </Show>
            </div>
          </>
        )}
      </Loaded>
      <div class="grid-2">
        <BreakdownPanel
          title="Top pages"
          tabs={[
            ["path", "Pages"],
            ["event_name", "Events"],
          ]}
        />
        <BreakdownPanel
          title="Sources"
          tabs={[
            ["referrer", "Referrers"],
            ["utm_source", "UTM source"],
            ["utm_medium", "UTM medium"],
            ["utm_campaign", "UTM campaign"],
          ]}
        />
        <BreakdownPanel
          title="Locations"
          tabs={[
            ["country", "Countries"],
            ["region", "Regions"],
            ["city", "Cities"],
          ]}
        />
        <BreakdownPanel
          title="Devices"
          tabs={[
            ["device_type", "Device"],
            ["browser", "Browser"],
            ["os", "OS"],
            ["channel_type", "Channel"],
          ]}
        />
      </div>
    </section>
  );
}
