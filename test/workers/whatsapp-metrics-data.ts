import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import type { z } from "zod";
import type { EventRecordInput } from "../../workers/contract";
import { enqueue } from "../../workers/lib/queue";
import { BASE, readJson, waitFor } from "./helpers";

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
  await enqueue(
    env.EVENTS,
    events.map((event) => ({ kind: "event" as const, event })),
  );
  const ids = new Set(events.map((e) => e.event_id));
  const project = events[0].project_id;
  await waitFor(async () => {
    const { results } = await env.DB.prepare("SELECT event_id FROM events WHERE project_id = ?").bind(project).all<{ event_id: string }>();
    return [...ids].every((id) => results.some((r) => r.event_id === id));
  }, 20_000);
}

/** GET on the API as admin; asserts 200 and returns the JSON body. */
export async function api<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
  const res = await SELF.fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  return readJson(res, schema);
}

/** Percentile by linear interpolation between closest ranks, written independently of the SQL. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

/** One hand-built conversation: its events and the metrics they imply, in seconds. */
export type Scenario = {
  events: EventRecordInput[];
  conversationId: string;
  agent: string | null;
  bot: number[];
  human: number[];
  /** First human response measured from the handoff. */
  handoffWait: number | null;
  queueWait: number | null;
  handle: number | null;
  resolution: number;
  messages: number;
};

const S = 1000;

/**
 * A customer writes, the bot answers after `bot` s, the customer asks for a human (60 s) and the bot
 * hands off (65 s); `agent` is assigned after `queue` s and answers `reply` s later; the customer
 * writes again 100 s after that, the agent answers in `second` s and resolves 50 s later.
 * The first human response runs from the customer's first message (the bot's answer does not stop
 * that clock once a handoff follows); the wait since handoff starts at 65 s.
 */
export function agentConversation(
  project: string,
  phone: string,
  t0: number,
  p: { bot: number; queue: number; reply: number; second: number; agent: string },
): Scenario {
  const ev = (name: string, at: number, properties: Record<string, unknown> = {}) =>
    waEvent(project, name, t0 + at * S, { external_id: phone, properties });
  const assign = 65 + p.queue;
  const answer = assign + p.reply;
  const again = answer + 100;
  const resolve = again + p.second + 50;
  const events = [
    ev("message_received", 0, { direction: "inbound" }),
    ev("bot_response", p.bot, { direction: "outbound", sender: "bot" }),
    ev("message_received", 60, { direction: "inbound" }),
    ev("handoff_requested", 65),
    ev("agent_assigned", assign, { agent_id: p.agent }),
    ev("message_sent", answer, { direction: "outbound", sender: "agent", agent_id: p.agent }),
    ev("message_received", again, { direction: "inbound" }),
    ev("message_sent", again + p.second, { direction: "outbound", sender: "agent", agent_id: p.agent }),
    ev("conversation_resolved", resolve, { agent_id: p.agent }),
  ];
  return {
    events,
    conversationId: events[0].conversation_id!,
    agent: p.agent,
    bot: [p.bot],
    human: [65 + p.queue + p.reply, p.second],
    handoffWait: p.queue + p.reply,
    queueWait: p.queue,
    handle: resolve - assign,
    resolution: resolve,
    messages: 6,
  };
}

/** A conversation the bot handles alone: two questions, two answers, resolved. */
export function botConversation(project: string, phone: string, t0: number, p: { first: number; second: number }): Scenario {
  const ev = (name: string, at: number, properties: Record<string, unknown> = {}) =>
    waEvent(project, name, t0 + at * S, { external_id: phone, properties });
  const events = [
    ev("message_received", 0, { direction: "inbound" }),
    ev("bot_response", p.first, { direction: "outbound", sender: "bot" }),
    ev("message_received", 120, { direction: "inbound" }),
    ev("bot_response", 120 + p.second, { direction: "outbound", sender: "bot" }),
    ev("conversation_resolved", 300),
  ];
  return {
    events,
    conversationId: events[0].conversation_id!,
    agent: null,
    bot: [p.first, p.second],
    human: [],
    handoffWait: null,
    queueWait: null,
    handle: null,
    resolution: 300,
    messages: 4,
  };
}

/** Ingests the scenarios and waits until every conversation's summary has reached D1, resolved. */
export async function ingestConversations(project: string, scenarios: Scenario[]): Promise<void> {
  await ingest(scenarios.flatMap((s) => s.events));
  await waitFor(async () => {
    const row = await env.DB.prepare(
      "SELECT count(*) AS n FROM conversations WHERE project_id = ? AND state = 'resolved' AND messages_in + messages_out = CASE WHEN agent_id IS NULL THEN 4 ELSE 6 END",
    )
      .bind(project)
      .first<{ n: number }>();
    return row!.n === scenarios.length;
  }, 25_000);
}

/** count/mean/median/p90 of a list of seconds, as the API reports them. */
export function stats(values: number[]) {
  if (!values.length) return { count: 0, mean: null, median: null, p90: null };
  return {
    count: values.length,
    mean: values.reduce((a, b) => a + b) / values.length,
    median: percentile(values, 0.5),
    p90: percentile(values, 0.9),
  };
}
