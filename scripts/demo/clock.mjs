// When people show up: busier on weekdays, at lunchtime and in the evening (Nairobi time), more
// in the days before the 20th (KRA's monthly deadline), and growing slowly over the period.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NAIROBI_OFFSET = 3 * HOUR;
const HOURLY = [
  0.08, 0.05, 0.04, 0.04, 0.06, 0.15, 0.3, 0.55, 0.8, 1, 1, 0.95, 1, 0.9, 0.8, 0.75, 0.7, 0.75, 0.85, 0.95, 0.9, 0.7, 0.45, 0.2,
];

function weight(t, now, days) {
  const local = new Date(t + NAIROBI_OFFSET);
  const weekday = local.getUTCDay();
  const dom = local.getUTCDate();
  const trend = 0.7 + 0.3 * (1 - (now - t) / (days * DAY));
  const deadline = dom >= 14 && dom <= 20 ? 1.6 : 1;
  return HOURLY[local.getUTCHours()] * (weekday === 0 || weekday === 6 ? 0.6 : 1) * trend * deadline;
}

/** A start instant in the last `days` before `now`, by rejection sampling of the weights above. */
export function pickStart(rng, now, days) {
  for (let i = 0; i < 100; i++) {
    const t = now - rng.next() * days * DAY;
    if (rng.next() * 1.6 < weight(t, now, days)) return Math.round(t);
  }
  return now - rng.int(0, days * DAY);
}

export const SECOND = 1000;
export const MINUTE = 60_000;
export { HOUR, DAY };
