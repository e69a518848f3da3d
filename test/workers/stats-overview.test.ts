import { beforeAll, describe, expect, it } from "vitest";
import { BOT_UA, getJson, ingest, MOBILE_UA, newProject, type Ev } from "./stats-fixture";
import { onWeb, refSeries, refTotals, type RefFilter } from "./stats-reference";
import { breakdownSchema, overviewSchema } from "../../workers/contract";

const H = 3_600_000;
const T = (iso: string) => Date.parse(iso);
const NAIROBI = 3 * H;

// A hand-built week: visitor A crosses local midnight in Nairobi, B bounces once, a bot, a WhatsApp chat,
// one visit in the previous period and one after the range.
const EVENTS: Ev[] = [
  { name: "page_view", ts: T("2026-10-19T10:00:00Z"), anon: "A", session: "a0", path: "/", country: "KE", utm_source: "google" },
  { name: "page_view", ts: T("2026-10-19T10:10:00Z"), anon: "A", session: "a0", path: "/returns/nil", country: "KE", utm_source: "google" },
  { name: "page_view", ts: T("2026-10-20T20:30:00Z"), anon: "A", session: "a1", path: "/returns/mri", country: "KE", utm_source: "google" },
  { name: "page_view", ts: T("2026-10-20T21:30:00Z"), anon: "A", session: "a1", path: "/returns/tot", country: "KE", utm_source: "google" },
  {
    name: "return_started",
    ts: T("2026-10-20T21:40:00Z"),
    anon: "A",
    session: "a1",
    path: "/returns/tot",
    country: "KE",
    utm_source: "google",
    props: { journey: "TOT" },
  },
  {
    name: "page_view",
    ts: T("2026-10-20T10:00:00Z"),
    anon: "B",
    session: "b1",
    path: "/",
    ua: MOBILE_UA,
    country: "UG",
    utm_source: "facebook",
  },
  {
    name: "return_started",
    ts: T("2026-10-20T10:05:00Z"),
    anon: "B",
    session: "b1",
    path: "/",
    ua: MOBILE_UA,
    country: "UG",
    utm_source: "facebook",
    props: { journey: "MRI" },
  },
  { name: "page_view", ts: T("2026-10-21T08:00:00Z"), anon: "B", session: "b2", path: "/returns/mri", ua: MOBILE_UA, country: "UG" },
  { name: "page_view", ts: T("2026-10-20T11:00:00Z"), anon: "C", session: "c1", path: "/", ua: BOT_UA },
  { name: "message_received", ts: T("2026-10-20T12:00:00Z"), channel: "whatsapp", ext: "+254700000001", conv: "wa:1" },
  { name: "message_sent", ts: T("2026-10-20T12:01:00Z"), channel: "whatsapp", ext: "+254700000001", conv: "wa:1" },
  { name: "page_view", ts: T("2026-10-22T12:00:00Z"), anon: "D", session: "d1", path: "/" },
];
// The conversation's Durable Object resolves it after a day idle (CONVERSATION_IDLE_SECONDS).
const ALL: Ev[] = [
  ...EVENTS,
  {
    name: "conversation_resolved",
    ts: T("2026-10-21T12:01:00Z"),
    channel: "whatsapp",
    ext: "+254700000001",
    conv: "wa:1",
    props: { reason: "idle", actor: "system" },
  },
];
// from=2026-10-20&to=2026-10-21 in Nairobi = [Oct 19 21:00Z, Oct 21 21:00Z).
const FROM = T("2026-10-19T21:00:00Z");
const TO = T("2026-10-21T21:00:00Z");

let project: Awaited<ReturnType<typeof newProject>>;
const stats = (query: string) =>
  getJson(`/api/projects/${project.id}/stats/${query}`, project.auth, query.startsWith("overview") ? overviewSchema : breakdownSchema);

beforeAll(async () => {
  project = await newProject("stats");
  await ingest(project.id, EVENTS);
}, 30_000);

describe("GET /stats/overview", () => {
  it("answers totals, previous period and local-day series from rollups", async () => {
    const { status, body } = await stats("overview?from=2026-10-20&to=2026-10-21&tz=Africa/Nairobi&interval=day");
    expect(status).toBe(200);
    expect(body.source).toBe("rollups");
    // By hand, the web: 6 events (A 3, B 3; bot excluded), 4 page views, 2 visitors, 3 sessions, bounces
    // 2 of 3 sessions with a page view, durations 4200 s + 300 s + 0 s. WhatsApp apart: one contact, one
    // conversation, 3 events (2 messages + the idle close, which is no one's activity).
    expect(body.totals).toEqual({ visitors: 2, sessions: 3, pageviews: 4, events: 6, bounce_rate: 0.6667, avg_session_seconds: 1500 });
    expect(body.totals).toEqual(refTotals(ALL, FROM, TO, onWeb({})));
    expect(body.whatsapp).toEqual({ contacts: 1, conversations: 1, events: 3 });
    expect(body.whatsapp_previous).toEqual({ contacts: 0, conversations: 0, events: 0 });
    expect(body.previous).toEqual({ visitors: 1, sessions: 1, pageviews: 2, events: 2, bounce_rate: 0, avg_session_seconds: 600 });
    expect(body.change).toEqual({ visitors: 1, sessions: 2, pageviews: 1, events: 2, bounce_rate: null, avg_session_seconds: 1.5 });
    expect(body.series).toEqual(refSeries(ALL, FROM, TO, NAIROBI, "day", onWeb({})));
    // A's 23:30 and 00:30 (Nairobi) page views fall on two local days.
    expect(body.series.map((p: any) => [p.bucket, p.pageviews])).toEqual([
      ["2026-10-20", 2],
      ["2026-10-21", 2],
    ]);
  });

  it("buckets by the requested zone: the same instants fall on one UTC day", async () => {
    const { body } = await stats("overview?from=2026-10-20&to=2026-10-20&tz=UTC&interval=day");
    expect(body.series).toEqual([{ bucket: "2026-10-20", visitors: 2, sessions: 2, pageviews: 3, events: 5 }]);
  });

  it("buckets by hour in a half-hour zone (Asia/Kolkata, +05:30)", async () => {
    const { body } = await stats("overview?from=2026-10-21&to=2026-10-21&tz=Asia/Kolkata&interval=hour");
    const from = T("2026-10-20T18:30:00Z");
    expect(body.series).toHaveLength(24);
    expect(body.series).toEqual(refSeries(ALL, from, from + 24 * H, 5.5 * H, "hour", onWeb({})));
    const nonEmpty = body.series.filter((p: any) => p.events > 0).map((p: any) => [p.bucket, p.events]);
    expect(nonEmpty).toEqual([
      ["2026-10-21T02:00", 1],
      ["2026-10-21T03:00", 2],
      ["2026-10-21T13:00", 1],
    ]);
  });

  it("excludes bots unless include_bots=true", async () => {
    const { body } = await stats("overview?from=2026-10-20&to=2026-10-21&tz=Africa/Nairobi&include_bots=true");
    expect(body.totals.events).toBe(7);
    expect(body.totals).toEqual(refTotals(ALL, FROM, TO, onWeb({ include_bots: true })));
  });

  it.each<[string, RefFilter]>([
    ["channel=web", { channel: "web" }],
    ["channel=whatsapp", { channel: "whatsapp" }],
    ["country=KE", { country: "KE" }],
    ["device_type=mobile", { device_type: "mobile" }],
    ["utm_source=google&channel=web", { utm_source: "google", channel: "web" }],
    ["event_name=page_view&path=%2Freturns%2Fmri", { event_name: "page_view", path: "/returns/mri" }],
    ["prop.journey=MRI", { prop: ["journey", "MRI"] }],
  ])("combines filters: %s", async (query, ref) => {
    const { status, body } = await stats(`overview?from=2026-10-20&to=2026-10-21&tz=Africa/Nairobi&${query}`);
    expect(status).toBe(200);
    expect(body.totals).toEqual(refTotals(ALL, FROM, TO, onWeb(ref)));
    expect(body.series).toEqual(refSeries(ALL, FROM, TO, NAIROBI, "day", onWeb(ref)));
  });

  it.each([
    ["tz=Mars/Olympus", "invalid_query"],
    ["from=yesterday", "invalid_query"],
    ["from=2026-10-21&to=2026-10-20", "invalid_range"],
    ["interval=minute", "invalid_query"],
    ["channel=sms", "invalid_query"],
    ["prop.bad%20key=1", "invalid_query"],
    ["from=2026-01-01&to=2026-10-20&interval=hour", "too_many_buckets"],
    ["from=2025-01-01&to=2026-10-20", "invalid_range"],
    ["source=rollups&country=KE&path=/", "rollups_unavailable"],
    ["source=ae", "analytics_engine_not_configured"],
  ])("answers 400 for %s", async (query, error) => {
    const { status, body } = await stats(`overview?${query}`);
    expect(status).toBe(400);
    expect(body.error).toBe(error);
  });
});

describe("GET /stats/breakdown", () => {
  it("ranks paths by visitors, then events", async () => {
    const { status, body } = await stats("breakdown?dimension=path&from=2026-10-20&to=2026-10-21&tz=Africa/Nairobi");
    expect(status).toBe(200);
    expect(body).toMatchObject({ dimension: "path", source: "rollups" });
    expect(body.rows).toEqual([
      // WhatsApp events have no page: no `(none)` row for them.
      { value: "/returns/mri", visitors: 2, pageviews: 2, events: 2 },
      { value: "/", visitors: 1, pageviews: 1, events: 2 },
      { value: "/returns/tot", visitors: 1, pageviews: 1, events: 2 },
    ]);
  });

  it("breaks down by device, country and channel with limit", async () => {
    const q = "from=2026-10-20&to=2026-10-21&tz=Africa/Nairobi";
    expect((await stats(`breakdown?dimension=device_type&channel=web&${q}`)).body.rows).toEqual([
      { value: "desktop", visitors: 1, pageviews: 2, events: 3 },
      { value: "mobile", visitors: 1, pageviews: 2, events: 3 },
    ]);
    expect((await stats(`breakdown?dimension=channel_type&limit=1&${q}`)).body.rows).toEqual([
      { value: "web", visitors: 2, pageviews: 4, events: 6 },
    ]);
    expect((await stats(`breakdown?dimension=utm_source&country=UG&${q}`)).body).toMatchObject({
      source: "raw",
      rows: [
        { value: "facebook", visitors: 1, pageviews: 1, events: 2 },
        { value: null, visitors: 1, pageviews: 1, events: 1 },
      ],
    });
  });

  it("answers 400 for a dimension outside the whitelist", async () => {
    for (const d of ["ip", "properties", "path;drop", ""]) {
      const { status, body } = await stats(`breakdown?dimension=${encodeURIComponent(d)}`);
      expect(status).toBe(400);
      expect(body.error).toBe("invalid_dimension");
    }
  });
});
