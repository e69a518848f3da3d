import { describe, expect, it } from "vitest";
import { BoundedCache } from "../../workers/lib/cache";

describe("BoundedCache (projects and webhook accounts per isolate)", () => {
  it("never holds more than its bound: the least recently used entry leaves first", () => {
    const cache = new BoundedCache<string, number>(3, 10_000);
    for (const [k, v] of [
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ] as const)
      cache.set(k, v, 0);
    expect(cache.get("a", 1)).toBe(1); // a is now the most recent
    cache.set("d", 4, 2);
    expect(cache.size).toBe(3);
    expect(cache.has("b", 3)).toBe(false);
    expect([cache.get("a", 3), cache.get("c", 3), cache.get("d", 3)]).toEqual([1, 3, 4]);
  });

  it("forgets an entry once its time-to-live has passed, and remembers cached misses until then", () => {
    const cache = new BoundedCache<string, string | null>(10, 10_000);
    cache.set("missing", null, 0);
    expect(cache.has("missing", 9_999)).toBe(true);
    expect(cache.has("missing", 10_000)).toBe(false);
    expect(cache.get("missing", 10_000)).toBeUndefined();
  });

  it("stays bounded under a flood of distinct keys", () => {
    const cache = new BoundedCache<string, null>(1_000, 10_000);
    for (let i = 0; i < 50_000; i++) cache.set(`p-${i}`, null, i);
    expect(cache.size).toBe(1_000);
    expect(cache.has("p-49999", 50_000)).toBe(true);
    expect(cache.has("p-0", 50_000)).toBe(false);
  });
});
