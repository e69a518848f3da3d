import { Show } from "solid-js";
import { ChartView } from "../../components/chart";
import { ErrorState } from "../../components/loaded";
import { StatCard } from "../../components/stat-card";
import { dateTime, num } from "../../lib/format";
import { seriesColor } from "../../lib/theme";
import { view } from "../../lib/view-state";
import { loadLive } from "./live.data";

/** Live: active visitors, open conversations and the queue, pushed over a WebSocket. */
export default function Live() {
  const live = loadLive();
  const series = () => ({
    labels: live.history().map((s) => dateTime(s.at, view.tz()).slice(-8)),
    datasets: [
      {
        label: "Active visitors",
        data: live.history().map((s) => s.active_visitors),
        borderColor: seriesColor(0),
        pointRadius: 0,
        tension: 0.3,
      },
      {
        label: "Open conversations",
        data: live.history().map((s) => s.open_conversations),
        borderColor: seriesColor(2),
        pointRadius: 0,
        tension: 0.3,
      },
      { label: "Queued", data: live.history().map((s) => s.queued), borderColor: seriesColor(3), pointRadius: 0, tension: 0.3 },
    ],
  });
  return (
    <section class="page" data-page="live">
      <header class="page-head">
        <h1>Live</h1>
        <span class="muted" data-live-mode={live.mode()}>
          <span class={`live-dot ${live.mode() === "socket" ? "on" : ""}`} />
          {live.mode() === "socket" ? "Live (WebSocket)" : live.mode() === "polling" ? "Polling every 5 s" : "Connecting…"}
        </span>
      </header>
      <Show when={live.error()}>
        <ErrorState error={live.error()} />
      </Show>
      <Show when={live.snapshot()} fallback={<div class="state loading">Waiting for the first snapshot…</div>}>
        {(s) => (
          <>
            <div class="stats">
              <StatCard id="active_visitors" label="Active visitors (last 5 min)" value={num(s().active_visitors)} />
              <StatCard id="open_conversations" label="Open conversations" value={num(s().open_conversations)} />
              <StatCard id="queued" label="Waiting for an agent" value={num(s().queued)} />
            </div>
            <p class="muted">Updated {dateTime(s().at, view.tz())}</p>
          </>
        )}
      </Show>
      <Show when={live.history().length > 1}>
        <div class="card">
          <h2>Since this page opened</h2>
          <ChartView type="line" data={series()} height={220} label="live history" />
        </div>
      </Show>
    </section>
  );
}
