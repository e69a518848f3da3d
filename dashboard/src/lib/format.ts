const nf = new Intl.NumberFormat("en");

/** 12,345 (or — for missing values). */
export function num(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? "—" : nf.format(Math.round(n));
}

/** Rates arrive as fractions (0..1). */
export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || Number.isNaN(x) ? "—" : `${(x * 100).toFixed(digits)}%`;
}

/** A duration in seconds as "42s", "3m 05s", "2h 10m", "3d 4h". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "—";
  if (seconds < 10) return `${Number(seconds.toFixed(1))}s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** Relative change between two totals, or null when there is no base to compare with. */
export function change(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (current == null || previous == null || previous === 0) return null;
  return (current - previous) / previous;
}

/** Timestamps (epoch ms or ISO) in the chosen timezone. */
export function dateTime(t: number | string, timeZone?: string): string {
  return new Date(t).toLocaleString("en-GB", { timeZone, dateStyle: "medium", timeStyle: "medium" });
}

/** "1 event", "2 events": a count with its noun in the right number. */
export const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;
