import type { CaptureEvent } from "../../workers/contract/events";
import { cfg } from "./config";
import { load, save } from "./storage";

// Every event is written to storage before any send and removed only once the server has answered,
// so a crash, a reload or a dead network loses nothing; the server dedups by event_id, so the rare
// double send (two tabs, a beacon racing a fetch) is harmless.
const key = () => "jn_q:" + cfg.project;
const queue = () => load<CaptureEvent[]>(key()) || [];

let timer: ReturnType<typeof setTimeout> | 0 = 0;
let inflight: Promise<void> | 0 = 0;
let attempt = 0;
let pausedUntil = 0;

const body = (events: CaptureEvent[]) =>
  JSON.stringify({ project: cfg.project, sent_at: new Date().toISOString(), events });

const remove = (sent: CaptureEvent[]) => {
  const ids = sent.map((e) => e.event_id);
  save(key(), queue().filter((e) => !ids.includes(e.event_id)));
};

/** Sends now when a batch is full, else arms the flush timer. */
export function kick(): void {
  const waiting = queue().length;
  if (waiting >= cfg.batchSize) flush();
  else if (waiting && !timer) timer = setTimeout(flush, Math.max(cfg.flushInterval, pausedUntil - Date.now()));
}

/** Queues an event; past the caps the oldest are dropped, and the newcomer carries how many. */
export function enqueue(event: CaptureEvent): void {
  const q = queue();
  let dropped = 0;
  q.push(event);
  while (q.length > cfg.maxQueue || JSON.stringify(q).length > cfg.maxQueueBytes) q.shift(), dropped++;
  if (dropped) event.properties = { ...event.properties, queue_dropped: dropped };
  save(key(), q);
  kick();
}

/** Drops the whole queue (opt-out). */
export const clear = () => save(key(), []);

/** Sends one batch with fetch; 429 and 5xx and network errors back off, other 4xx are final. */
export function flush(): Promise<void> | 0 {
  clearTimeout(timer);
  timer = 0;
  const batch = queue().slice(0, cfg.batchSize);
  if (inflight || !batch.length || Date.now() < pausedUntil) return inflight;
  // A string body is sent as text/plain: a "simple" request, so no CORS preflight.
  return (inflight = fetch(cfg.endpoint + "/capture", { method: "POST", body: body(batch) })
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
    .finally(() => {
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
 * Page hide: hand what is left to sendBeacon, which outlives the page. Offline, a beacon would be
 * lost, so the events stay stored for the next visit instead.
 */
export function beacon(): void {
  const q = queue();
  if (!navigator.onLine) return;
  for (let i = 0; i < q.length; i += cfg.batchSize) {
    if (!navigator.sendBeacon(cfg.endpoint + "/capture", body(q.slice(i, i + cfg.batchSize)))) return remove(q.slice(0, i));
  }
  remove(q);
}
