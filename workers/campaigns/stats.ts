/** Standard normal CDF through erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const round = (x: number, places = 6) => Math.round(x * 10 ** places) / 10 ** places;

/**
 * Two-proportion z-test of b against a (pooled variance), two-sided: the difference of rates
 * b − a, z and its p-value. Nulls when either group is empty or the pooled rate is 0 or 1.
 */
export function twoProportion(a: { conversions: number; sent: number }, b: { conversions: number; sent: number }) {
  if (!a.sent || !b.sent) return { difference: null, z: null, p_value: null };
  const pa = a.conversions / a.sent;
  const pb = b.conversions / b.sent;
  const pooled = (a.conversions + b.conversions) / (a.sent + b.sent);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.sent + 1 / b.sent));
  if (!se) return { difference: round(pb - pa), z: null, p_value: null };
  const z = (pb - pa) / se;
  return { difference: round(pb - pa), z: round(z, 4), p_value: round(2 * (1 - normalCdf(Math.abs(z)))) };
}
