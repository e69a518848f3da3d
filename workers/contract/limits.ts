/**
 * Bounds on everything a client or provider controls, checked at the edge before anything is
 * queued (docs/reliability.md). An edge that accepts only values within them produces only
 * messages the consumer's contract accepts, so "accepted" means "stored, once".
 */

/**
 * How deep a free-form value may nest: an event's `properties` object counts as level 1, so
 * `{"a": {"b": 1}}` is 2 deep. Far below SQLite's JSON depth (1,000, past which every JSON
 * function over the row fails) and the depth at which recursive code (JSON.stringify, structured
 * clone) overflows the stack.
 */
export const MAX_PROPERTY_DEPTH = 32;

/** How deep a whole request body may nest (a capture batch or a webhook body), levels counted the same way. */
export const MAX_BODY_DEPTH = 40;

/** One free-form value may hold at most this many objects, arrays and scalars in total. */
export const MAX_PROPERTY_NODES = 4_096;

/** Times are epoch ms. None is stored before 2000-01-01T00:00:00Z. */
export const TIME_MIN = Date.UTC(2000, 0, 1);

/** None is stored more than a day after the moment Junction received it. */
export const MAX_AHEAD_MS = 86_400_000;

/** The latest time an event received at `receivedAt` may carry. */
export const latestTime = (receivedAt: number) => receivedAt + MAX_AHEAD_MS;

/** True when `t` is a safe integer inside the window [TIME_MIN, receivedAt + MAX_AHEAD_MS]. */
export function inTimeWindow(t: number, receivedAt: number): boolean {
  return Number.isSafeInteger(t) && t >= TIME_MIN && t <= latestTime(receivedAt);
}

/** The window as words, for error messages. */
export const TIME_WINDOW_TEXT = "between 2000-01-01T00:00:00Z and one day after the request was received";

/**
 * A provider's time (a webhook's message timestamp, a CRM `occurred_at`): kept when inside the
 * window, otherwise replaced by the receive time and flagged, so a wrong clock can neither store a
 * year-9999 event nor fail the request. Fractional ms are rounded.
 */
export function clampProviderTime(t: unknown, receivedAt: number): { time: number; clamped: boolean } {
  const ms = typeof t === "number" ? Math.round(t) : Number.NaN;
  return inTimeWindow(ms, receivedAt) ? { time: ms, clamped: false } : { time: receivedAt, clamped: true };
}

/**
 * The depth of a JSON-like value (a scalar is 0, `{}` and `[]` are 1) and how many nodes it holds,
 * walking iteratively so no input can overflow the stack. The walk stops as soon as either bound is
 * passed: `depth` is then `maxDepth + 1` or `nodes` is `maxNodes + 1`.
 */
export function measure(value: unknown, maxDepth = MAX_PROPERTY_DEPTH, maxNodes = MAX_PROPERTY_NODES): { depth: number; nodes: number } {
  const stack: [unknown, number][] = [[value, 0]];
  let depth = 0;
  let nodes = 0;
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (++nodes > maxNodes) return { depth, nodes };
    if (v === null || typeof v !== "object") continue;
    const level = d + 1;
    if (level > depth) depth = level;
    if (depth > maxDepth) return { depth, nodes };
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, level]);
  }
  return { depth, nodes };
}

/**
 * Why a free-form value is outside its bounds (naming the limit), or null when it is within them.
 * `what` names the value in the message, e.g. "properties".
 */
export function freeFormProblem(value: unknown, what: string, maxDepth = MAX_PROPERTY_DEPTH): string | null {
  const m = measure(value, maxDepth, MAX_PROPERTY_NODES);
  if (m.depth > maxDepth) return `${what} nest deeper than ${maxDepth} levels (limit MAX_PROPERTY_DEPTH)`;
  if (m.nodes > MAX_PROPERTY_NODES) return `${what} hold more than ${MAX_PROPERTY_NODES} values (limit MAX_PROPERTY_NODES)`;
  return null;
}

/** True when the whole body nests within MAX_BODY_DEPTH (node count is bounded by the body's byte size). */
export const bodyWithinDepth = (body: unknown) => measure(body, MAX_BODY_DEPTH, Number.POSITIVE_INFINITY).depth <= MAX_BODY_DEPTH;

/**
 * A string cut to at most `max` UTF-16 code units without splitting a surrogate pair, so derived
 * fields (a URL's path, the User-Agent) always fit their columns.
 */
export function fit(s: string, max: number): string;
export function fit(s: string | null | undefined, max: number): string | null;
export function fit(s: string | null | undefined, max: number): string | null {
  if (s == null) return null;
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Column widths of derived fields (the event contract's `eventRecordSchema` and queue message). */
export const MAX_PATH_CHARS = 1024;
export const MAX_USER_AGENT_CHARS = 1024;
