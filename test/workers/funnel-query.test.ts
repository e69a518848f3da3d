import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, BASE, batch, capture, countEvents, readAnswer, readJson, waitFor } from "./helpers";
import { ingest, MOBILE_UA, newProject, type Ev } from "./stats-fixture";
import { funnelResultSchema, handshakeIssuedSchema } from "../../workers/contract";

const T0 = Date.parse("2026-10-01T08:00:00Z");
const S = 1000;
const MRI = [
  { event: "page_view", path: "/returns/mri" },
  { event: "return_started", where: { journey: "MRI" } },
  { event: "return_submitted", where: { journey: "MRI" } },
];
const web = (anon: string, name: string, ts: number, extra: Partial<Ev> = {}): Ev => ({ name, ts, anon, session: anon + "-s", ...extra });
const WEB: Ev[] = [
  // P1 converts fully; P2 stops after starting; P3 starts a TOT return (not this funnel's step 2).
  web("p1", "page_view", T0, { path: "/returns/mri", country: "KE" }),
  web("p1", "return_started", T0 + 60 * S, { props: { journey: "MRI" }, country: "KE" }),
  web("p1", "return_submitted", T0 + 600 * S, { props: { journey: "MRI" }, country: "KE" }),
  web("p2", "page_view", T0, { path: "/returns/mri", country: "KE" }),
  web("p2", "return_started", T0 + 120 * S, { props: { journey: "MRI" }, country: "KE" }),
  web("p3", "page_view", T0, { path: "/returns/mri", country: "UG", ua: MOBILE_UA }),
  web("p3", "return_started", T0 + 60 * S, { props: { journey: "TOT" }, country: "UG", ua: MOBILE_UA }),
  // P4 submits two hours in: outside the one-hour window.
  web("p4", "page_view", T0, { path: "/returns/mri", country: "UG", ua: MOBILE_UA }),
  web("p4", "return_started", T0 + 1800 * S, { props: { journey: "MRI" }, country: "UG", ua: MOBILE_UA }),
  web("p4", "return_submitted", T0 + 7200 * S, { props: { journey: "MRI" }, country: "UG", ua: MOBILE_UA }),
  // P5 never views the page; P6 started before viewing it (order matters).
  web("p5", "return_started", T0, { props: { journey: "MRI" } }),
  web("p6", "return_started", T0 - 60 * S, { props: { journey: "MRI" }, country: "UG", ua: MOBILE_UA }),
  web("p6", "page_view", T0, { path: "/returns/mri", country: "UG", ua: MOBILE_UA }),
  web("p6", "return_submitted", T0 + 60 * S, { props: { journey: "MRI" }, country: "UG", ua: MOBILE_UA }),
  // Outside the range: not an entry.
  web("p7", "page_view", T0 + 3 * 86_400 * S, { path: "/returns/mri" }),
];

let project: Awaited<ReturnType<typeof newProject>>;
async function query(body: unknown) {
  const res = await SELF.fetch(`${BASE}/api/projects/${project.id}/funnels/query`, {
    method: "POST",
    headers: { ...project.auth, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await readAnswer(res, funnelResultSchema)) as any };
}
const range = { from: "2026-10-01", to: "2026-10-01" };

/** Links a WhatsApp contact to a web visitor the real way: a handshake token redeemed by the SDK's event. */
async function handshake(phone: string, anon: string, ts: number) {
  const res = await SELF.fetch(`${BASE}/api/handshakes`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ project: project.id, external_id: phone }),
  });
  const { token } = await readJson(res, handshakeIssuedSchema);
  const e = {
    event_id: crypto.randomUUID(),
    event: "handshake_complete",
    timestamp: new Date(ts).toISOString(),
    anonymous_id: anon,
    session_id: anon + "-s",
    context: { handshake_token: token },
  };
  expect((await capture(batch([e], project.id))).status).toBe(202);
  await waitFor(() => countEvents("project_id = ? AND event_name = 'webview_opened' AND anonymous_id = ?", project.id, anon), 15_000);
}

beforeAll(async () => {
  project = await newProject("funnels");
  await ingest(project.id, WEB);
}, 30_000);

describe("POST /funnels/query", () => {
  it("counts people through ordered steps within the window", async () => {
    const { status, body } = await query({ steps: MRI, window: 3600, ...range });
    expect(status).toBe(200);
    expect(body.steps).toEqual([
      {
        event: "page_view",
        channel: null,
        count: 5,
        conversion_from_first: 1,
        conversion_from_previous: 1,
        drop_off: 0,
        median_seconds_to_convert: null,
      },
      {
        event: "return_started",
        channel: null,
        count: 3,
        conversion_from_first: 0.6,
        conversion_from_previous: 0.6,
        drop_off: 2,
        median_seconds_to_convert: 120,
      },
      {
        event: "return_submitted",
        channel: null,
        count: 1,
        conversion_from_first: 0.2,
        conversion_from_previous: 0.3333,
        drop_off: 2,
        median_seconds_to_convert: 540,
      },
    ]);
  });

  it("counts a late step once the window is wide enough", async () => {
    const { body } = await query({ steps: MRI, window: 3 * 3600, ...range });
    expect(body.steps.map((s: any) => s.count)).toEqual([5, 3, 2]);
  });

  it("breaks down by the entry event's dimension", async () => {
    const { body } = await query({ steps: MRI, window: 3600, breakdown: "country", ...range });
    expect(body.breakdown.map((b: any) => [b.value, b.steps.map((s: any) => s.count)])).toEqual([
      ["UG", [3, 1, 0]],
      ["KE", [2, 2, 1]],
    ]);
  });

  it("applies the request filters to who enters", async () => {
    const { body } = await query({ steps: MRI, window: 3600, ...range, filters: { device_type: "mobile" } });
    expect(body.steps.map((s: any) => s.count)).toEqual([3, 1, 0]);
  });

  it("follows a person from WhatsApp to the web through identity links", async () => {
    const wa = (phone: string, ts: number): Ev => ({
      name: "conversation_started",
      ts,
      channel: "whatsapp",
      ext: phone,
      conv: `wa:${project.id}:${phone}`,
    });
    const t = Date.parse("2026-10-05T09:00:00Z");
    await ingest(project.id, [wa("+254711000001", t), wa("+254711000002", t), wa("+254711000003", t)]);
    await handshake("+254711000001", "h1", t + 300 * S);
    await handshake("+254711000003", "h3", t + 400 * S);
    // h1 files within the day; h2 (never linked to +254711000002) files too; h3 starts two days later.
    await capture(
      batch(
        [
          {
            event_id: crypto.randomUUID(),
            event: "return_started",
            timestamp: new Date(t + 600 * S).toISOString(),
            anonymous_id: "h1",
            session_id: "h1-s",
          },
          {
            event_id: crypto.randomUUID(),
            event: "return_submitted",
            timestamp: new Date(t + 1200 * S).toISOString(),
            anonymous_id: "h1",
            session_id: "h1-s",
          },
          {
            event_id: crypto.randomUUID(),
            event: "return_started",
            timestamp: new Date(t + 600 * S).toISOString(),
            anonymous_id: "h2",
            session_id: "h2-s",
          },
          {
            event_id: crypto.randomUUID(),
            event: "return_submitted",
            timestamp: new Date(t + 900 * S).toISOString(),
            anonymous_id: "h2",
            session_id: "h2-s",
          },
          {
            event_id: crypto.randomUUID(),
            event: "return_started",
            timestamp: new Date(t + 2 * 86_400 * S).toISOString(),
            anonymous_id: "h3",
            session_id: "h3-s",
          },
        ],
        project.id,
      ),
    );
    await waitFor(
      async () =>
        (await countEvents(
          "project_id = ? AND anonymous_id IN ('h1','h2','h3') AND channel_type = 'web' AND event_name LIKE 'return_%'",
          project.id,
        )) === 5,
    );

    const steps = [
      { event: "conversation_started", channel: "whatsapp" },
      { event: "webview_opened", channel: "whatsapp" },
      { event: "return_started", channel: "web" },
      { event: "return_submitted", channel: "web" },
    ];
    const { body } = await query({ steps, window: 86_400, from: "2026-10-05", to: "2026-10-05" });
    expect(body.steps.map((s: any) => [s.channel, s.count])).toEqual([
      ["whatsapp", 3],
      ["whatsapp", 2],
      ["web", 1],
      ["web", 1],
    ]);
    expect(body.steps[2].median_seconds_to_convert).toBe(300);
  }, 30_000);

  it("joins a person's events stored before the link that ties their channels", async () => {
    const t = Date.parse("2026-10-08T09:00:00Z");
    const phone = "+254711000009";
    // The web visit lands first, as an anonymous visitor nobody has linked yet.
    await ingest(project.id, [
      { name: "conversation_started", ts: t, channel: "whatsapp", ext: phone, conv: `wa:${project.id}:${phone}` },
      web("late1", "return_started", t + 600 * S, { props: { journey: "MRI" } }),
    ]);
    const day = {
      steps: [{ event: "conversation_started", channel: "whatsapp" }, MRI[1]],
      window: 86_400,
      from: "2026-10-08",
      to: "2026-10-08",
    };
    expect((await query(day)).body.steps.map((s: any) => s.count)).toEqual([1, 0]);
    await handshake(phone, "late1", t + 300 * S);
    expect((await query(day)).body.steps.map((s: any) => s.count)).toEqual([1, 1]);
  }, 30_000);

  it.each([
    ["one step", { steps: [MRI[0]], ...range }, /at least 2/],
    ["a bad channel", { steps: [{ event: "a", channel: "sms" }, MRI[1]] }, /channel/],
    ["a bad property key", { steps: [{ event: "a", where: { "x'y": 1 } }, MRI[1]] }, /where/],
    ["a window over 90 days", { steps: MRI, window: 91 * 86_400 }, /window/],
    ["an unknown breakdown", { steps: MRI, breakdown: "ip" }, /breakdown/],
    ["a reversed range", { steps: MRI, from: "2026-10-02", to: "2026-10-01" }, /before/],
  ])("answers 400 for %s", async (_name, body, message) => {
    const res = await query(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });
});
