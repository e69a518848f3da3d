import { env, SELF } from "cloudflare:test";
import { enqueue } from "../../workers/lib/queue";
import type { z } from "zod";
import { projectCreatedSchema, projectTokenCreatedSchema } from "../../workers/contract";
import { ADMIN, BASE, batch, capture, countEvents, readAnswer, readJson, waitFor } from "./helpers";

/** Shared by the stats, funnel and export tests: a fresh project and a hand-built data set. */

export const MOBILE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
export const DESKTOP_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
export const BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

/** Creates a project through the admin API; returns its id, its read-token headers and a write token's. */
export async function newProject(prefix: string) {
  const id = `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  const res = await SELF.fetch(`${BASE}/api/projects`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ id, name: prefix }),
  });
  if (res.status !== 201) throw new Error(`project not created: ${res.status}`);
  const { read_token } = await readJson(res, projectCreatedSchema);
  const made = await SELF.fetch(`${BASE}/api/projects/${id}/tokens`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ scope: "write", name: "tests" }),
  });
  if (made.status !== 201) throw new Error(`write token not created: ${made.status}`);
  const { token } = await readJson(made, projectTokenCreatedSchema);
  return { id, auth: { authorization: `Bearer ${read_token}` }, write: { authorization: `Bearer ${token}` } };
}

/** One hand-built event; web events go through POST /capture, WhatsApp ones onto the Queue. */
export type Ev = {
  name: string;
  ts: number;
  channel?: "web" | "whatsapp";
  anon?: string;
  session?: string;
  ext?: string;
  conv?: string;
  ua?: string;
  country?: string;
  path?: string;
  utm_source?: string;
  props?: Record<string, unknown>;
};

export const isBot = (e: Ev) => e.ua === BOT_UA;
export const deviceOf = (e: Ev) => (e.channel === "whatsapp" ? null : e.ua === MOBILE_UA ? "mobile" : "desktop");

/** Ingests events through the real pipeline and waits until all of them are stored. */
export async function ingest(projectId: string, evs: Ev[]) {
  const web = evs.filter((e) => (e.channel ?? "web") === "web");
  const ids: string[] = [];
  const groups = new Map<string, Ev[]>();
  for (const e of web) {
    const k = `${e.ua ?? DESKTOP_UA}|${e.country ?? ""}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  for (const [k, list] of groups) {
    const [ua, country] = k.split("|");
    const events = list.map((e) => ({
      event_id: ids[ids.push(crypto.randomUUID()) - 1],
      event: e.name,
      timestamp: new Date(e.ts).toISOString(),
      anonymous_id: e.anon,
      session_id: e.session,
      properties: e.props,
      context: { page: { url: `https://tax.example${e.path ?? "/"}` }, ...(e.utm_source ? { utm: { source: e.utm_source } } : {}) },
    }));
    for (let i = 0; i < events.length; i += 100) {
      const res = await capture(batch(events.slice(i, i + 100), projectId), {
        headers: { "user-agent": ua },
        cf: country ? { country } : {},
      });
      if (res.status !== 202) throw new Error(`capture failed: ${res.status} ${await res.text()}`);
    }
  }
  const wa = evs.filter((e) => e.channel === "whatsapp");
  await enqueue(
    env.EVENTS,
    wa.map((e) => ({
      kind: "event" as const,
      event: {
        event_id: ids[ids.push(crypto.randomUUID()) - 1],
        project_id: projectId,
        event_name: e.name,
        channel_type: "whatsapp" as const,
        timestamp: e.ts,
        received_at: Date.now(),
        external_id: e.ext,
        conversation_id: e.conv,
        properties: e.props ?? {},
      },
    })),
  );
  const json = JSON.stringify(ids);
  await waitFor(
    async () => (await countEvents("project_id = ? AND event_id IN (SELECT value FROM json_each(?))", projectId, json)) === ids.length,
    20_000,
  );
  // A WhatsApp conversation idle for a day is resolved by its Durable Object, which emits a
  // `conversation_resolved` event (timestamp = last activity + CONVERSATION_IDLE_SECONDS). Historical
  // test data is long idle, so wait for those too: the numbers must not move under a test.
  const chats = new Set(wa.filter((e) => e.name.startsWith("message_")).map((e) => e.conv!));
  for (const conv of chats)
    await waitFor(
      () => countEvents("project_id = ? AND conversation_id = ? AND event_name = 'conversation_resolved'", projectId, conv),
      20_000,
    );
  return ids;
}

/** GET helper returning status and JSON, parsed with `schema` (or the error envelope for an error). */
export async function getJson<S extends z.ZodType>(path: string, headers: Record<string, string>, schema: S) {
  const res = await SELF.fetch(`${BASE}${path}`, { headers });
  // Tests read fields of either answer; both were checked against their schema.
  return { status: res.status, body: (await readAnswer(res, schema)) as any };
}
