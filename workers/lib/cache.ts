/**
 * A per-isolate cache with a size bound and a time-to-live. Entries leave in least-recently-used
 * order once `max` is reached, so no input (e.g. random project ids posted to `/capture`) can
 * grow an isolate's memory, and a change made elsewhere is seen within `ttlMs` in every isolate.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { at: number; value: V }>();

  constructor(
    readonly max: number,
    readonly ttlMs: number,
  ) {}

  /** The cached value, or undefined when absent or older than the time-to-live. */
  get(key: K, now = Date.now()): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (now - hit.at >= this.ttlMs) return undefined;
    this.entries.set(key, hit);
    return hit.value;
  }

  /** True when `key` holds a fresh value (a cached `null` counts: a miss that is remembered). */
  has(key: K, now = Date.now()): boolean {
    const hit = this.entries.get(key);
    return hit !== undefined && now - hit.at < this.ttlMs;
  }

  set(key: K, value: V, now = Date.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
