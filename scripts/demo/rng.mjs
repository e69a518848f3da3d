// Seeded randomness, so `--seed 42` produces the same people, journeys and ids every run.

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for synthetic data. */
export function createRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng = {
    next,
    /** true with probability p */
    chance: (p) => next() < p,
    /** integer in [min, max] */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    /** float in [min, max) */
    between: (min, max) => min + next() * (max - min),
    pick: (list) => list[Math.floor(next() * list.length)],
    /** `list` of [value, weight] pairs */
    weighted(list) {
      const total = list.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [v, w] of list) if ((r -= w) < 0) return v;
      return list[list.length - 1][0];
    },
    /** log-normal-ish duration around `median` (same unit), for human delays. */
    around: (median, spread = 0.8) => median * Math.exp(spread * (next() + next() + next() - 1.5) * 1.4),
    hex: (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(""),
    digits: (n) => Array.from({ length: n }, () => Math.floor(next() * 10)).join(""),
    /** RFC 4122 v4 UUID drawn from this generator (the capture contract requires valid UUIDs). */
    uuid() {
      const h = rng.hex(32).split("");
      h[12] = "4";
      h[16] = "89ab"[Math.floor(next() * 4)];
      const s = h.join("");
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
  return rng;
}

/** A child generator per person, so one person's randomness does not shift everyone after them. */
export const childSeed = (seed, index) => (Math.imul(seed ^ 0x9e3779b9, 2654435761) + Math.imul(index + 1, 40503)) >>> 0;
