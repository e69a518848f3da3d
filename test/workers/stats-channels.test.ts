import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { breakdownSchema, overviewSchema, projectCreatedSchema } from "../../workers/contract";
import { enqueue } from "../../workers/lib/queue";
import { ADMIN, BASE, batch, capture, countEvents, readJson, waitFor, webEvent } from "./helpers";

/**
 * Channel separation in the Overview, by hand: two web visitors (W1 twice, once arriving from the
 * site's own page), one WhatsApp contact who opened the handshake webview (the `webview_opened` event
 * carries W1's web ids too) and whose conversation the system closes a day later.
 */
const P = `chan-${crypto.randomUUID().slice(0, 8)}`;
const DAY1 = "2026-09-10";
const at = (hhmm: string, day = DAY1) => `${day}T${hhmm}:00.000Z`;
const get = async (q: string, schema: typeof overviewSchema | typeof breakdownSchema) => {
  const res = await SELF.fetch(`${BASE}/api/projects/${P}/stats/${q}`, { headers: ADMIN });
  expect(res.status).toBe(200);
  return readJson(res, schema as typeof overviewSchema) as never as Record<string, any>;
};

beforeAll(async () => {
  const res = await SELF.fetch(`${BASE}/api/projects`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ id: P, name: P, internal_hosts: ["tax.example"] }),
  });
  expect((await readJson(res, projectCreatedSchema)).internal_hosts).toEqual(["tax.example"]);
  const page = (anon: string, session: string, time: string, referrer: string) =>
    webEvent({
      anonymous_id: anon,
      session_id: session,
      timestamp: at(time),
      context: { page: { url: "https://tax.example/returns", referrer } },
    });
  const web = [
    page("W1", "s1", "10:00", "https://google.com/search"),
    page("W1", "s1", "10:05", "https://tax.example/"),
    page("W2", "s2", "11:00", "https://www.bing.com/"),
  ];
  expect((await capture(batch(web, P))).status).toBe(202);
  const wa = (name: string, time: string, over: Record<string, unknown> = {}) => ({
    kind: "event" as const,
    event: {
      event_id: crypto.randomUUID(),
      project_id: P,
      event_name: name,
      channel_type: "whatsapp" as const,
      timestamp: Date.parse(at(time)),
      received_at: Date.now(),
      external_id: "+254700123456",
      conversation_id: "wa:chan:1",
      properties: {},
      ...over,
    },
  });
  await enqueue(env.EVENTS, [
    wa("message_received", "12:00", { properties: { direction: "inbound" } }),
    wa("webview_opened", "12:10", { anonymous_id: "W1", session_id: "s1" }),
  ]);
  await waitFor(async () => (await countEvents("project_id = ?", P)) === 5, 20_000);
  // The conversation's Durable Object closes it a day after its last activity (CONVERSATION_IDLE_SECONDS).
  await waitFor(() => countEvents("project_id = ? AND event_name = 'conversation_resolved'", P), 20_000);
}, 40_000);

describe("the Overview keeps web and WhatsApp apart", () => {
  it("counts web visitors and sessions on the web, WhatsApp contacts and conversations once each", async () => {
    const body = await get(`overview?from=${DAY1}&to=${DAY1}&tz=UTC`, overviewSchema);
    // W1 and W2; the webview's web ids do not make W1 a WhatsApp person nor add a session.
    expect(body.totals).toMatchObject({ visitors: 2, sessions: 2, pageviews: 3, events: 3, avg_session_seconds: 150 });
    expect(body.whatsapp).toEqual({ contacts: 1, conversations: 1, events: 2 });
  });

  it("does not count the system's idle close as anyone's activity", async () => {
    const body = await get(`overview?from=2026-09-11&to=2026-09-11&tz=UTC`, overviewSchema);
    expect(body.whatsapp).toEqual({ contacts: 0, conversations: 0, events: 1 });
    expect(body.totals).toMatchObject({ visitors: 0, sessions: 0 });
  });

  it("lists no internal host as a referrer and no (none) row for WhatsApp events", async () => {
    for (const source of ["rollups", "raw"]) {
      const body = await get(`breakdown?dimension=referrer&from=${DAY1}&to=${DAY1}&tz=UTC&source=${source}`, breakdownSchema);
      expect(body.rows.map((r: { value: string }) => r.value).sort()).toEqual(["https://google.com/search", "https://www.bing.com/"]);
      const paths = await get(`breakdown?dimension=path&from=${DAY1}&to=${DAY1}&tz=UTC&source=${source}`, breakdownSchema);
      expect(paths.rows).toEqual([{ value: "/returns", visitors: 2, pageviews: 3, events: 3 }]);
    }
  });
});
