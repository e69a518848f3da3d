import type { CaptureBatch, CaptureEvent } from "../../workers/contract/events";
import { batchSize, endpoint, flushInterval, project, queueKey } from "./config";
import { load, save } from "./storage";

// Every event is written to storage before any send and removed only once the server has answered,
// so a crash, a reload or a dead network loses nothing; the server dedups by event_id, so the rare
// double send (two tabs, a beacon racing a fetch) is harmless.
const queue = () => load<CaptureEvent[]>(queueKey) || [];

let timer: ReturnType<typeof setTimeout> | 0 = 0;
let inflight: Promise<void> | 0 = 0;
let attempt = 0;
let pausedUntil = 0;

const body = (events: CaptureEvent[]) => JSON.stringify({ project, sent_at: new Date().toISOString(), events } satisfies CaptureBatch);

const remove = (sent: CaptureEvent[]) => {
  const ids = sent.map((e) => e.event_id);
  save(
    queueKey,
    queue().filter((e) => !ids.includes(e.event_id)),
  );
};

/** Sends now when a batch is full, else arms the flush timer (no earlier than a backoff allows). */
export function kick(): void {
  const waiting = queue().length;
  if (waiting >= batchSize) flush();
  else if (waiting && !timer) timer = setTimeout(flush, Math.max(flushInterval, pausedUntil - Date.now()));
}

/**
 * Queues an event. Past the caps (500 events, 256 kB of JSON: a long offline stretch, far below
 * localStorage's ~5 MB) the oldest are dropped, and the newcomer carries how many in `queue_dropped`.
 */
export function enqueue(event: CaptureEvent): void {
  const q = queue();
  let dropped = 0;
  q.push(event);
  while (q.length > 500 || JSON.stringify(q).length > 256e3) q.shift(), dropped++;
  if (dropped) event.properties = { ...event.properties, queue_dropped: dropped };
  save(queueKey, q);
  kick();
}

/** Drops the whole queue (opt-out). */
export const clear = () => save(queueKey, []);

/** Sends one batch with fetch; 429, 5xx and network errors back off, other 4xx are final. */
export function flush(): Promise<void> | 0 {
  clearTimeout(timer);
  timer = 0;
  const batch = queue().slice(0, batchSize);
  if (inflight || !batch.length) return inflight;
  // Inside a backoff (a full batch waiting, or a timer that fired a fraction of a ms early): try
  // again once it ends, never leave the events waiting for the next track().
  if (Date.now() < pausedUntil) return ((timer = setTimeout(flush, pausedUntil - Date.now() + 1)), 0);
  // A string body is sent as text/plain: a "simple" request, so no CORS preflight.
  return (inflight = fetch(endpoint, { method: "POST", body: body(batch) })
    .then((r) => {
      if (r.status == 429 || r.status > 499) throw r;
      attempt = 0;
      remove(batch);
    })
    .catch((r) => {
      const after = r?.headers?.get("retry-after");
      // Exponential backoff with jitter (1 s → 5 min), so a recovering server is not stampeded.
      pausedUntil = Date.now() + (after ? after * 1e3 : Math.min(3e5, 1e3 * 2 ** attempt++) * (0.5 + Math.random()));
    })
    // (then, not finally: the catch above leaves nothing to rethrow, and it is 3 bytes shorter)
    .then(() => {
      inflight = 0;
      kick();
    }));
}

/** Sends now, ignoring any backoff (reconnect, explicit `flush()`). */
export function flushNow(): Promise<void> | 0 {
  pausedUntil = 0;
  return flush();
}

/**
 * Page hide: hand the next batch to sendBeacon, which outlives the page (more than one batch only
 * piles up offline or in a backoff, and waits for the next visit). Offline or while the server
 * asks us to back off, a beacon (whose answer nobody reads) would be lost: the events stay stored.
 */
export function beacon(): void {
  const batch = queue().slice(0, batchSize);
  if (batch[0] && navigator.onLine && Date.now() >= pausedUntil && navigator.sendBeacon(endpoint, body(batch))) remove(batch);
}
