import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import type { EventRecordInput } from "../../workers/contract";
import { enqueue } from "../../workers/lib/queue";
import { BASE, waitFor } from "./helpers";

/** A fresh project, so every test's numbers are its own (storage is shared within a file). */
export async function newProject(prefix = "wa"): Promise<string> {
  const id = `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("INSERT INTO projects (id, name) VALUES (?, ?)").bind(id, id).run();
  return id;
}

/** A stored-shape WhatsApp event, as the webhooks put on the Queue. */
export function waEvent(project: string, name: string, at: string | number, over: Partial<EventRecordInput> = {}): EventRecordInput {
  const ts = typeof at === "number" ? at : Date.parse(at);
  const phone = (over.external_id as string) ?? "+254700000001";
  return {
    event_id: crypto.randomUUID(),
    project_id: project,
    event_name: name,
    channel_type: "whatsapp",
    timestamp: ts,
    received_at: ts,
    external_id: phone,
    conversation_id: `wa:${project}:${phone}`,
    ...over,
  };
}

/** Sends events through the real Queue and waits until the consumer has stored them all. */
export async function ingest(events: EventRecordInput[]): Promise<void> {
  await enqueue(env.EVENTS, events.map((event) => ({ kind: "event" as const, event })));
  const ids = new Set(events.map((e) => e.event_id));
  const project = events[0].project_id;
  await waitFor(async () => {
    const { results } = await env.DB.prepare("SELECT event_id FROM events WHERE project_id = ?").bind(project).all<{ event_id: string }>();
    return [...ids].every((id) => results.some((r) => r.event_id === id));
  }, 20_000);
}

/** GET on the API as admin; asserts 200 and returns the JSON body. */
export async function api<T = any>(path: string): Promise<T> {
  const res = await SELF.fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } });
  const body = await res.text();
  expect(res.status, body).toBe(200);
  return JSON.parse(body) as T;
}

/** Percentile by linear interpolation between closest ranks, written independently of the SQL. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
}
