import { describe, expect, it } from "vitest";
import { cover, GRAINS } from "../../workers/rollups/grains";
import { hashKeys, Sketch } from "../../workers/rollups/sketch";

const H = 3_600_000,
  D = 86_400_000,
  Q = 900_000;
const day = Date.parse("2026-09-01T00:00:00Z");

async function sketchOf(keys: string[]) {
  const s = new Sketch();
  s.add(hashKeys(keys).values());
  return s;
}
const keys = (n: number, prefix = "k") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("grain cover", () => {
  it.each([
    ["a whole UTC day", day, day + D, [[2, day, day + D]]],
    ["30 days", day, day + 30 * D, [[2, day, day + 30 * D]]],
    ["a Nairobi day (UTC+3)", day - 3 * H, day + 21 * H, [[1, day - 3 * H, day + 21 * H]]],
    [
      "a Kathmandu day (UTC+5:45)",
      day - 5 * H - 3 * Q,
      day + D - 5 * H - 3 * Q,
      [
        [0, day - 5 * H - 3 * Q, day - 5 * H],
        [1, day - 5 * H, day + 18 * H],
        [0, day + 18 * H, day + 18 * H + Q],
      ],
    ],
    [
      "two days and edges",
      day - 2 * H - Q,
      day + 2 * D + H + 2 * Q,
      [
        [0, day - 2 * H - Q, day - 2 * H],
        [1, day - 2 * H, day],
        [2, day, day + 2 * D],
        [1, day + 2 * D, day + 2 * D + H],
        [0, day + 2 * D + H, day + 2 * D + H + 2 * Q],
      ],
    ],
  ])("covers %s with the fewest buckets", (_name, from, to, expected) => {
    const runs = cover(from as number, to as number);
    expect(runs.map((r) => [r.grain, r.lo, r.hi])).toEqual(expected);
    // Contiguous and exact: each run starts where the previous ended, on its own grain.
    runs.forEach((r, i) => {
      expect(r.lo % GRAINS[r.grain]).toBe(0);
      expect(r.lo).toBe(i ? runs[i - 1].hi : from);
    });
  });
});

describe("distinct sketch", () => {
  it("counts exactly while small, and adding a key twice changes nothing", async () => {
    const s = await sketchOf(keys(1500));
    expect(s.count()).toBe(1500);
    expect(s.add(hashKeys(keys(1500)).values())).toBe(false);
    expect(s.count()).toBe(1500);
  });

  it("merges overlapping sets into their union", async () => {
    const a = await sketchOf(keys(800));
    a.merge(await sketchOf(keys(800).slice(400).concat(keys(300, "other"))));
    expect(a.count()).toBe(1100);
  });

  it.each([5_000, 50_000, 200_000])("estimates %i distinct keys within 3 %", async (n) => {
    const s = await sketchOf(keys(n));
    expect(s.dense).toBe(true);
    expect(Math.abs(s.count() - n) / n).toBeLessThan(0.03);
  });

  it("survives encoding, sparse and dense, and a dense merge is idempotent", async () => {
    for (const n of [0, 10, 2_500]) {
      const s = await sketchOf(keys(n));
      const back = Sketch.decode(s.encode());
      expect(back.count()).toBe(s.count());
      back.merge(s);
      expect(back.count()).toBe(s.count());
      const fromBytes = new Sketch();
      fromBytes.mergeEncoded(s.encode());
      expect(fromBytes.count()).toBe(s.count());
    }
  });

  it("merges encoded sketches, sparse into dense and dense into sparse, as their union", async () => {
    const big = await sketchOf(keys(6000));
    const small = await sketchOf(keys(500, "extra"));
    const a = await sketchOf(keys(6000));
    a.mergeEncoded(small.encode());
    const b = await sketchOf(keys(500, "extra"));
    b.mergeEncoded(big.encode());
    expect(a.count()).toBe(b.count());
    expect(Math.abs(a.count() - 6500) / 6500).toBeLessThan(0.03);
  });
});
