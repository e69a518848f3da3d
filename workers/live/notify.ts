import type { EventRecord } from "../contract";
import { stubByName } from "../lib/objects";
import type { LiveDO } from "./object";
import { LIVE_WINDOW_MS } from "./snapshot";

/** The LiveDO of a project (one per project, so every dashboard of it shares one socket hub). */
export const liveStub = (env: Cloudflare.Env, project: string) => stubByName<LiveDO>(env.LIVE, project);

/**
 * Pokes each project's LiveDO once per consumer batch with the visitors seen in it. Old events
 * (backfills, retries of stale batches) cannot change "the last five minutes" and are skipped.
 * Best effort: the live view must never make the Queue retry a stored batch.
 */
export async function notifyLive(env: Cloudflare.Env, events: EventRecord[]): Promise<void> {
  const cutoff = Date.now() - LIVE_WINDOW_MS;
  const byProject = new Map<string, { visitors: Map<string, number>; whatsapp: boolean }>();
  for (const e of events) {
    if (e.timestamp < cutoff || e.is_bot) continue;
    const p = byProject.get(e.project_id) ?? { visitors: new Map(), whatsapp: false };
    if (e.anonymous_id) p.visitors.set(e.anonymous_id, Math.max(p.visitors.get(e.anonymous_id) ?? 0, e.timestamp));
    if (e.channel_type === "whatsapp") p.whatsapp = true;
    byProject.set(e.project_id, p);
  }
  const pokes = [...byProject].map(([project, p]) =>
    liveStub(env, project).ingest({ project, visitors: [...p.visitors], conversations: p.whatsapp }),
  );
  for (const r of await Promise.allSettled(pokes)) if (r.status === "rejected") console.warn("live notify failed", String(r.reason));
}
