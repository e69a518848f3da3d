import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { randomUUID } from "node:crypto";
// @ts-expect-error plain ESM script, also run as `npm run demo`
import { generate } from "../../scripts/demo.mjs";

const base = () => inject("baseUrl");
const ADMIN = { authorization: "Bearer dev-admin-token", "content-type": "application/json" };

async function api(path: string, init: RequestInit = {}) {
  const res = await fetch(base() + path, { ...init, headers: { ...ADMIN, ...init.headers } });
  if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Polls `read` until it gives the same truthy answer twice in a row (the consumer has caught up). The bound
 * is generous: on two shared cores, conversation summaries from the Durable Objects can trail by a minute.
 */
async function settled<T>(read: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const start = Date.now();
  let last = "";
  for (;;) {
    const value = await read();
    const now = JSON.stringify(value);
    if (value && now === last) return value;
    last = now;
    if (Date.now() - start > timeoutMs) throw new Error("data did not settle");
    await new Promise((r) => setTimeout(r, 1500));
  }
}

describe("demo data generator", () => {
  it("fills a project through capture, signed webhooks and handshakes so funnels join both channels", { timeout: 300_000 }, async () => {
    // Its own project and Meta number, so nothing else in the run shares these numbers.
    const project = `demo-${randomUUID().slice(0, 8)}`;
    const phoneNumberId = String(Date.now());
    await api("/api/projects", {
      method: "POST",
      body: JSON.stringify({ id: project, name: "Demo generator test", whatsapp_accounts: [`meta:${phoneNumberId}`] }),
    });

    const run = await generate({ url: base(), project, phoneNumberId, events: 1500, seed: 4242, days: 30 });
    expect(run.failed).toBe(0);
    expect(run.rejected).toBe(0);
    expect(run.sent).toBeGreaterThanOrEqual(1500);
    expect(run.handshakes).toBeGreaterThan(0);

    const range = { from: new Date(Date.now() - 31 * 86_400_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    const totals = await settled(async () => (await api(`/api/projects/${project}/stats/overview?${new URLSearchParams(range)}`)).totals);
    expect(totals.visitors).toBeGreaterThan(20);
    expect(totals.pageviews).toBeGreaterThan(totals.visitors);

    const funnel = (steps: unknown[]) =>
      api(`/api/projects/${project}/funnels/query`, { method: "POST", body: JSON.stringify({ steps, window: 7 * 86_400, ...range }) });
    const nil = await funnel([
      { event: "page_view", path: "/returns/nil" },
      { event: "return_started", where: { journey: "NIL" } },
      { event: "return_submitted", where: { journey: "NIL" } },
    ]);
    const counts = nil.steps.map((s: { count: number }) => s.count);
    expect(counts[2]).toBeGreaterThan(0);
    expect(counts[0]).toBeGreaterThanOrEqual(counts[1]);
    expect(counts[1]).toBeGreaterThanOrEqual(counts[2]);

    // Contacts who opened the bot's link continue on the web as the same person.
    const cross = await funnel([
      { event: "conversation_started", channel: "whatsapp" },
      { event: "webview_opened", channel: "whatsapp" },
      { event: "return_started", channel: "web" },
    ]);
    expect(cross.steps[2].count).toBeGreaterThan(0);

    const wa = await api(`/api/projects/${project}/whatsapp/overview?${new URLSearchParams(range)}`);
    expect(wa.messages_in).toBeGreaterThan(0);
    expect(wa.delivery.read).toBeGreaterThan(0);

    // Support data: satisfaction from the survey list and the CRM, agents' shifts, username-only contacts.
    expect(await api(`/api/projects/${project}/csat/replies`)).toEqual({
      replies: { csat_1: 1, csat_2: 2, csat_3: 3, csat_4: 4, csat_5: 5 },
    });
    const csat = await settled(async () => (await api(`/api/projects/${project}/csat?${new URLSearchParams(range)}`)).overall);
    expect(csat.responses).toBeGreaterThan(0);
    const availability = await api(`/api/projects/${project}/agents/availability?${new URLSearchParams(range)}`);
    expect(availability.agents.length).toBeGreaterThan(0);
    expect(availability.overall.online_s).toBeGreaterThan(0);

    // The site's own pages are internal navigation, not referrers; outside sites still are.
    const referrers = await api(
      `/api/projects/${project}/stats/breakdown?${new URLSearchParams({ ...range, dimension: "referrer", limit: "100" })}`,
    );
    const hosts = referrers.rows.map((r: { value: string | null }) => r.value ?? "");
    expect(hosts.some((v: string) => v.includes("google."))).toBe(true);
    expect(hosts.filter((v: string) => v.includes("taxpal.example"))).toEqual([]);

    // The bot's webview links lead to submitted returns under the default goal.
    const bot = await settled(async () => (await api(`/api/projects/${project}/whatsapp/bot?${new URLSearchParams(range)}`)).webview);
    expect(bot.goal).toBe("return_submitted");
    expect(bot.completed).toBeGreaterThan(0);
    expect(bot.completed).toBeLessThanOrEqual(bot.opened);

    // Some customers close the chat themselves (their conversations' summaries arrive after the events).
    const byCustomer = await settled(
      async () =>
        (await api(`/api/projects/${project}/conversations?${new URLSearchParams({ ...range, resolved_by: "customer", limit: "200" })}`))
          .conversations.length,
    );
    expect(byCustomer).toBeGreaterThan(0);
  });
});
