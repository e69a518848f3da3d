import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
  type ChartOptions,
} from "chart.js";
import { createEffect, onCleanup, onMount } from "solid-js";

// Registering only what the dashboard draws keeps Chart.js tree-shaken.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Filler, Legend, Tooltip);
Chart.defaults.font.family = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";
Chart.defaults.color = "#64748b";

export const PALETTE = ["#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#14b8a6"];

/** A Chart.js canvas that redraws when `props.data` changes. */
export function ChartView(props: { type: "bar" | "line"; data: ChartData<"bar" | "line">; options?: ChartOptions<"bar" | "line">; height?: number; label?: string }) {
  let canvas!: HTMLCanvasElement;
  let chart: Chart | undefined;
  onMount(() => {
    createEffect(() => {
      const data = props.data;
      chart?.destroy();
      chart = new Chart(canvas, {
        type: props.type as "bar",
        data: data as ChartData<"bar">,
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: "index", intersect: false },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: "#eef2f7" } }, x: { grid: { display: false } } },
          ...(props.options as ChartOptions<"bar">),
        },
      });
    });
  });
  onCleanup(() => chart?.destroy());
  return (
    <div class="chart" style={{ height: `${props.height ?? 260}px` }}>
      <canvas ref={canvas} role="img" aria-label={props.label ?? "chart"} />
    </div>
  );
}
