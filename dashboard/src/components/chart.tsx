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
import { cssVar } from "../lib/theme";

// Registering only what the dashboard draws keeps Chart.js tree-shaken.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Filler, Legend, Tooltip);
Chart.defaults.font.family = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";

/** Grid, ticks, legend and tooltip colours of the current scheme (CSS variables in styles.css). */
function themed(): ChartOptions<"bar"> {
  const text = cssVar("--muted");
  const grid = cssVar("--chart-grid");
  return {
    color: text,
    plugins: {
      legend: { position: "bottom", labels: { boxWidth: 12, color: text } },
      tooltip: { backgroundColor: cssVar("--tooltip-bg"), titleColor: cssVar("--tooltip-ink"), bodyColor: cssVar("--tooltip-ink") },
    },
    scales: {
      y: { beginAtZero: true, ticks: { precision: 0, color: text }, grid: { color: grid }, border: { color: grid } },
      x: { ticks: { color: text, maxRotation: 0, autoSkipPadding: 12 }, grid: { display: false }, border: { color: grid } },
    },
  };
}

/** Page options over the themed ones, one level deep into plugins and scales. */
function merge(base: ChartOptions<"bar">, extra: ChartOptions<"bar"> = {}): ChartOptions<"bar"> {
  const scales: Record<string, unknown> = { ...base.scales };
  for (const [k, v] of Object.entries(extra.scales ?? {})) scales[k] = { ...(scales[k] as object), ...v };
  const plugins: Record<string, unknown> = { ...base.plugins };
  for (const [k, v] of Object.entries(extra.plugins ?? {})) plugins[k] = { ...(plugins[k] as object), ...(v as object) };
  return { ...base, ...extra, scales, plugins } as ChartOptions<"bar">;
}

/**
 * A Chart.js canvas that redraws when `props.data` or the colour scheme changes. It sizes itself to
 * its container (responsive, no fixed aspect), which keeps a minimum height in CSS.
 */
export function ChartView(props: {
  type: "bar" | "line";
  data: ChartData<"bar" | "line">;
  options?: ChartOptions<"bar" | "line">;
  height?: number;
  label?: string;
  /** Called with the index of the clicked label (a bucket, a step). */
  onPoint?: (index: number, datasetIndex: number) => void;
}) {
  let canvas!: HTMLCanvasElement;
  let chart: Chart | undefined;
  onMount(() => {
    createEffect(() => {
      const data = props.data;
      const options = merge(themed(), props.options as ChartOptions<"bar">);
      chart?.destroy();
      chart = new Chart(canvas, {
        type: props.type as "bar",
        data: data as ChartData<"bar">,
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: "index", intersect: false },
          ...options,
          onClick: (event, _elements, c) => {
            if (!props.onPoint || !event.native) return;
            const hit = c.getElementsAtEventForMode(event.native, "index", { intersect: false }, false)[0];
            const exact = c.getElementsAtEventForMode(event.native, "nearest", { intersect: true }, false)[0];
            if (hit) props.onPoint(hit.index, exact?.datasetIndex ?? hit.datasetIndex);
          },
          onHover: (event) => {
            if (props.onPoint && event.native?.target) (event.native.target as HTMLElement).style.cursor = "pointer";
          },
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
