/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week, UTC) as schedule
 * triggers use them: `*`, numbers, lists `1,15`, ranges `1-5` and steps `*\/15`, `8-18/2`. As in
 * cron, when both day fields are restricted a day matches either.
 */
const FIELDS = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
] as const;

type Parsed = { sets: Set<number>[]; anyDom: boolean; anyDow: boolean };

function field(text: string, [lo, hi]: readonly [number, number]): Set<number> | null {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = part.match(/^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/);
    if (!m) return null;
    const step = m[4] ? Number(m[4]) : 1;
    const from = m[1] === "*" ? lo : Number(m[2]);
    const to = m[1] === "*" ? hi : m[3] ? Number(m[3]) : m[4] ? hi : from;
    if (step < 1 || from < lo || to > hi || from > to) return null;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** The parsed expression, or null when it is not one. Day-of-week 7 is Sunday, as 0. */
export function parseCron(expr: string): Parsed | null {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const s = field(i === 4 ? parts[i]!.replace(/\b7\b/g, "0") : parts[i]!, FIELDS[i]!);
    if (!s) return null;
    sets.push(s);
  }
  return { sets, anyDom: parts[2] === "*", anyDow: parts[4] === "*" };
}

/** True when the UTC minute starting at `t` (epoch ms) matches. */
export function cronMatches(c: Parsed, t: number): boolean {
  const d = new Date(t);
  const [min, hour, dom, mon, dow] = c.sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (!min.has(d.getUTCMinutes()) || !hour.has(d.getUTCHours()) || !mon.has(d.getUTCMonth() + 1)) return false;
  const domOk = dom.has(d.getUTCDate());
  const dowOk = dow.has(d.getUTCDay());
  if (c.anyDom && c.anyDow) return true;
  if (c.anyDom) return dowOk;
  if (c.anyDow) return domOk;
  return domOk || dowOk;
}

const MINUTE = 60_000;

/** The latest matching minute in (after, now], looking back at most `lookback` ms; null when none. */
export function lastMatch(c: Parsed, after: number, now: number, lookback = 15 * MINUTE): number | null {
  const start = Math.max(after, now - lookback);
  for (let t = Math.floor(now / MINUTE) * MINUTE; t > start; t -= MINUTE) if (cronMatches(c, t)) return t;
  return null;
}
