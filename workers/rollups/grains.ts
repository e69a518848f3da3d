/**
 * Rollups are kept at three grains: 15-minute, hour and day (UTC). Every local hour or day in any
 * zone (offsets are multiples of 15 minutes) is a union of 15-minute buckets, and any 15-minute
 * aligned range is covered by at most 3 + 23 + days + 23 + 3 buckets of the three grains, so a
 * 30-day query reads ~80 rows per series instead of 2,880.
 */
export const GRAINS = [900_000, 3_600_000, 86_400_000] as const;
export type Grain = 0 | 1 | 2;

/** A run of consecutive buckets of one grain: bucket starts `lo <= start < hi`. */
export type Run = { grain: Grain; lo: number; hi: number };

/** The fewest buckets covering [from, to), both on 15-minute boundaries, as runs per grain. */
export function cover(from: number, to: number): Run[] {
  const runs: Run[] = [];
  let t = from;
  while (t < to) {
    let g: Grain = 0;
    for (const c of [2, 1] as const)
      if (t % GRAINS[c] === 0 && t + GRAINS[c] <= to) {
        g = c;
        break;
      }
    const last = runs[runs.length - 1];
    if (last && last.grain === g && last.hi === t) last.hi = t + GRAINS[g];
    else runs.push({ grain: g, lo: t, hi: t + GRAINS[g] });
    t += GRAINS[g];
  }
  return runs;
}
