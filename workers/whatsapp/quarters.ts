import { localBuckets, QUARTER_MS, tzOffset, type Filters } from "../lib/filters";
import { whatsappWhere } from "../lib/filters/whatsapp";

const DAY = 86_400_000;

/**
 * Event counts per 15-minute UTC quarter. Every zone offset in use is a multiple of 15 minutes,
 * so each quarter lies wholly inside one local hour and day of any zone: SQLite (which knows no
 * IANA zones) groups by quarter, and the local hour/day is assigned here with `Intl`.
 */
async function quarterCounts(db: D1Database, project: string, f: Filters, name: string) {
  const w = whatsappWhere(project, f, [name]);
  const { results } = await db
    .prepare(`SELECT timestamp / ${QUARTER_MS} AS q, count(*) AS n FROM events WHERE ${w.sql} GROUP BY q ORDER BY q`)
    .bind(...w.params)
    .all<{ q: number; n: number }>();
  return results.map((r) => ({ at: r.q * QUARTER_MS, n: r.n }));
}

/** Offset lookups memoized per UTC day when the offset holds all day (all but DST-change days). */
function offsetFinder(tz: string) {
  const days = new Map<number, number | null>();
  return (t: number) => {
    const d = Math.floor(t / DAY);
    let steady = days.get(d);
    if (steady === undefined) {
      const a = tzOffset(tz, d * DAY);
      steady = a === tzOffset(tz, (d + 1) * DAY - 1) ? a : null;
      days.set(d, steady);
    }
    return steady ?? tzOffset(tz, t);
  };
}

/**
 * The UTC intervals of the range that fall on `weekday` (0 = Monday) at local `hour` in `f.tz`,
 * merged from whole quarters (offsets are multiples of 15 minutes), clipped to the range.
 */
export function cellIntervals(f: Filters, weekday: number, hour: number): [number, number][] {
  const offset = offsetFinder(f.tz);
  const out: [number, number][] = [];
  for (let q = Math.floor(f.from / QUARTER_MS) * QUARTER_MS; q < f.to; q += QUARTER_MS) {
    const local = new Date(q + offset(q));
    if ((local.getUTCDay() + 6) % 7 !== weekday || local.getUTCHours() !== hour) continue;
    const start = Math.max(q, f.from);
    const end = Math.min(q + QUARTER_MS, f.to);
    const last = out.at(-1);
    if (last && last[1] === start) last[1] = end;
    else out.push([start, end]);
  }
  return out;
}

/** Inbound messages as a weekday × hour matrix in `f.tz`; row 0 is Monday, column 0 is 00:00–01:00. */
export async function peakHours(db: D1Database, project: string, f: Filters): Promise<number[][]> {
  const matrix = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  const offset = offsetFinder(f.tz);
  for (const { at, n } of await quarterCounts(db, project, f, "message_received")) {
    const local = new Date(at + offset(at));
    matrix[(local.getUTCDay() + 6) % 7][local.getUTCHours()] += n;
  }
  return matrix;
}

/** New contacts (`first_contact` events) per local day of `f.tz`, every day of the range listed. */
export async function newContactsByDay(db: D1Database, project: string, f: Filters) {
  const days = localBuckets(f.from, f.to, f.tz, "day").map((b) => ({ day: b.label, start: b.start, new_contacts: 0 }));
  let i = 0;
  for (const { at, n } of await quarterCounts(db, project, f, "first_contact")) {
    // Quarters come sorted, so walk the days forward; a range edge off a quarter still lands in its day.
    while (i + 1 < days.length && days[i + 1].start <= at) i++;
    if (days[i]) days[i].new_contacts += n;
  }
  return days.map(({ day, new_contacts }) => ({ day, new_contacts }));
}
