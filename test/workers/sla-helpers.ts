import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import { projectCreatedSchema, type EventRecordInput } from "../../workers/contract";
import type { ConversationDO } from "../../workers/conversations/object";
import { ADMIN, BASE, readJson } from "./helpers";

export const MIN = 60_000;
export const H = 60 * MIN;

/** A fresh project (so its SLA policies and business hours are the test's own), optionally with business hours. */
export async function newProject(businessHours?: unknown): Promise<string> {
  const id = `sla-${crypto.randomUUID().slice(0, 8)}`;
  const res = await SELF.fetch(`${BASE}/api/projects`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ id, name: "SLA test" }),
  });
  await readJson(res, projectCreatedSchema);
  if (businessHours !== undefined) expect((await call("PATCH", `/api/projects/${id}`, { business_hours: businessHours })).status).toBe(200);
  return id;
}

/** An admin request (the admin token holds every scope). */
export const call = (method: string, path: string, body?: unknown) =>
  SELF.fetch(`${BASE}${path}`, {
    method,
    headers: { ...ADMIN, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** A conversation of `project`: its id, and WhatsApp events of it at given times. */
export function conversation(project: string) {
  const phone = "+2547" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
  const id = `wa:${project}:${phone}:${crypto.randomUUID().slice(0, 8)}`;
  const event = (name: string, at: number, properties: Record<string, unknown> = {}): EventRecordInput => ({
    event_id: `${name}-${crypto.randomUUID()}`,
    project_id: project,
    event_name: name,
    channel_type: "whatsapp",
    timestamp: at,
    received_at: at,
    external_id: phone,
    conversation_id: id,
    properties: { provider: "meta", ...properties },
  });
  const ns = env.CONVERSATIONS as DurableObjectNamespace<ConversationDO>;
  const stub = ns.get(ns.idFromName(`${project}:${id}`));
  return { id, phone, event, stub };
}

/**
 * A handled conversation: the customer writes at `t`, is handed off at once, `agent` is assigned
 * after `assignAfter`, replies after `replyAfter` and resolves after `resolveAfter` (all from `t`; null: never).
 */
export function handled(
  project: string,
  t: number,
  agent: string,
  o: { assignAfter?: number; replyAfter?: number | null; resolveAfter?: number | null; labels?: string[] },
) {
  const c = conversation(project);
  const events = [
    c.event("message_received", t, { direction: "inbound", ...(o.labels ? { labels: o.labels } : {}) }),
    c.event("handoff_requested", t),
    c.event("agent_assigned", t + (o.assignAfter ?? 0), { agent_id: agent }),
  ];
  if (o.replyAfter != null)
    events.push(c.event("message_sent", t + o.replyAfter, { direction: "outbound", sender: "agent", agent_id: agent }));
  if (o.resolveAfter != null) events.push(c.event("conversation_resolved", t + o.resolveAfter, { agent_id: agent, resolved_by: "agent" }));
  return { ...c, events };
}

/** The conversation's D1 row once its Durable Object's summary has been written. */
export const storedRow = (project: string, id: string) =>
  env.DB.prepare("SELECT * FROM conversations WHERE project_id = ? AND conversation_id = ?")
    .bind(project, id)
    .first<Record<string, unknown>>();
