import { env, introspectWorkflowInstance, SELF } from "cloudflare:test";
import { expect, inject } from "vitest";
import type { z } from "zod";
import {
  campaignRecipientsSchema,
  campaignSchema,
  projectCreatedSchema,
  type campaignRecipientSchema,
  projectTokenCreatedSchema,
  segmentSchema,
  templateSchema,
} from "../../workers/contract";
import { ADMIN, BASE, readAnswer, readJson } from "./helpers";

export type TestProject = { id: string; write: Record<string, string>; account: string };

/** A project with one WhatsApp sending account and a write token. */
export async function campaignProject(prefix: string, account: string): Promise<TestProject> {
  const id = `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  const res = await SELF.fetch(`${BASE}/api/projects`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ id, name: prefix, whatsapp_accounts: [account] }),
  });
  if (res.status !== 201) throw new Error(`project not created: ${res.status} ${await res.text()}`);
  await readJson(res, projectCreatedSchema);
  const made = await SELF.fetch(`${BASE}/api/projects/${id}/tokens`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ scope: "write", name: "tests" }),
  });
  const { token } = await readJson(made, projectTokenCreatedSchema);
  return { id, write: { authorization: `Bearer ${token}` }, account };
}

/** A JSON call to a project route, its answer parsed with `schema` (or the error envelope). */
// Tests read fields of either answer (as the other worker tests do); both were checked against their schema.
export async function call<S extends z.ZodType>(p: TestProject, method: string, path: string, schema: S, body?: unknown) {
  const res = await SELF.fetch(`${BASE}/api/projects/${p.id}${path}`, {
    method,
    headers: { ...p.write, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await readAnswer(res, schema)) as any };
}

/** Contacts as an import leaves them: consent, zone, traits. */
export async function contacts(
  p: TestProject,
  rows: { phone: string; consent?: "opted_in" | "opted_out" | null; timezone?: string; name?: string; traits?: Record<string, unknown> }[],
) {
  const now = Date.now() - 86_400_000;
  const insert = env.DB.prepare(
    "INSERT INTO contacts (project_id, external_id, first_seen_at, last_seen_at, consent, consent_changed_at, name, attributes, timezone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  await env.DB.batch(
    rows.map((r) =>
      insert.bind(
        p.id,
        r.phone,
        now,
        now,
        r.consent ?? null,
        r.consent ? now : null,
        r.name ?? null,
        JSON.stringify(r.traits ?? {}),
        r.timezone ?? null,
      ),
    ),
  );
}

export async function segment(p: TestProject, conditions: unknown[]): Promise<string> {
  const r = await call(p, "POST", "/segments", segmentSchema, { name: "audience", definition: { conditions } });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id;
}

export async function template(p: TestProject, body: Record<string, unknown>): Promise<string> {
  const r = await call(p, "POST", "/templates", templateSchema, {
    language: "en",
    category: "MARKETING",
    components: [{ type: "body" }],
    ...body,
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id;
}

export async function campaign(p: TestProject, body: Record<string, unknown>): Promise<string> {
  const r = await call(p, "POST", "/campaigns", campaignSchema, { name: "c", ...body });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id;
}

const standinUrl = () => inject("standinUrl");

/** A call to the stand-in provider's control surface. */
export async function standin<T = unknown>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${standinUrl()}${path}`, { ...init, headers: { "content-type": "application/json", ...init.headers } });
  if (!res.ok) throw new Error(`stand-in ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A message as the stand-in recorded it (docs/standin-provider.md, `GET /__messages`); `request` is the parsed body. */
type Sent = {
  provider: string;
  id: string;
  to: string;
  phone_number_id?: string;
  biz_opaque_callback_data?: string;
  request: {
    template?: { components?: unknown };
    To?: string;
    From?: string;
    ContentSid?: string;
    ContentVariables?: string;
    [k: string]: unknown;
  };
};

/** Messages the stand-in accepted from `account` (`meta:<id>` or `twilio:+E.164`). */
export async function accepted(account: string): Promise<Sent[]> {
  const all = await standin<Sent[]>("/__messages");
  const [provider, id] = [account.slice(0, account.indexOf(":")), account.slice(account.indexOf(":") + 1)];
  return all.filter(
    (m) => m.provider === provider && (provider === "meta" ? m.phone_number_id === id : m.request?.From === `whatsapp:${id}`),
  );
}

const replayed = new Set<string>();

/** Delivers the stand-in's queued status callbacks for `ids` into the Worker, as the provider would; returns how many. */
export async function replayStatuses(ids: string[]): Promise<number> {
  const outbox = await standin<{ url: string; method: string; headers: Record<string, string>; body: string }[]>("/__outbox");
  let n = 0;
  for (const entry of outbox) {
    const key = entry.headers["x-hub-signature-256"] ?? entry.headers["x-twilio-signature"] ?? entry.body;
    if (replayed.has(key) || !ids.some((id) => entry.body.includes(id))) continue;
    replayed.add(key);
    const res = await SELF.fetch(entry.url, { method: entry.method, headers: entry.headers, body: entry.body });
    if (res.status !== 200) throw new Error(`callback refused: ${res.status} ${await res.text()}`);
    n++;
  }
  return n;
}

/** Sending rules that stay out of a test's way: no quiet hours, no cap, fast. */
export const NO_RULES = { quiet_hours: null, frequency_cap: null, throughput_per_second: 200, breaker_threshold: 3, max_attempts: 5 };

type Recipient = z.infer<typeof campaignRecipientSchema>;

/** The campaign's recipients by WhatsApp address. */
export async function recipients(p: TestProject, id: string): Promise<Record<string, Recipient>> {
  const r = await call(p, "GET", `/campaigns/${id}/recipients`, campaignRecipientsSchema);
  expect(r.status).toBe(200);
  return Object.fromEntries((r.body.recipients as Recipient[]).map((x) => [x.address, x]));
}

/** Launches a campaign and waits for its Workflow instance to finish (retry delays off: behaviour, not timing). */
export async function launchAndFinish(p: TestProject, id: string) {
  await using instance = await introspectWorkflowInstance(env.CAMPAIGNS, id);
  await instance.modify(async (m) => m.disableRetryDelays());
  const r = await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  await instance.waitForStatus("complete");
}
