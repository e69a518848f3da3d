// Storage is shared by every tab of the origin, which is what makes sessions and the offline queue
// survive reloads and tabs. Safari's private mode and sandboxed iframes throw on access: fall back
// to memory, so the tracker degrades to per-page state instead of failing.
const memory: Record<string, unknown> = {};

/** Reads a JSON value from localStorage (or the in-memory fallback). */
export function load<T>(key: string): T | undefined {
  try {
    // Indexing, not getItem: our "jn_" keys never collide with Storage's own members.
    const raw = localStorage[key];
    if (raw) return JSON.parse(raw);
  } catch {}
  return memory[key] as T | undefined;
}

/** Writes a JSON value to localStorage, keeping a memory copy when storage refuses it. */
export function save(key: string, value: unknown): void {
  memory[key] = value;
  try {
    localStorage[key] = JSON.stringify(value);
  } catch {}
}
