import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  botShareSchema,
  breakdownSchema,
  overviewSchema,
  propertyKeysSchema,
  statsEventsSchema,
  statsPeopleSchema,
  statsValuesSchema,
} from "../../workers/contract";
import { PROPERTY_KEYS_SAMPLE } from "../../workers/rollups/stats/values";
import { BOT_UA, getJson, ingest, MOBILE_UA, newProject, type Ev } from "./stats-fixture";

/**
 * Every figure opens the list behind it: a hand-built data set where each figure is known, and
 * the drill-down lists (walked page by page) must hold exactly as many rows as the figure.
 */
const DAY = Date.parse("2026-10-05T00:00:00Z");
const H = 3_600_000;
const web = (anon: string, session: string, name: string, ts: number, extra: Partial<Ev> = {}): Ev => ({
  name,
  ts,
  anon,
  session,
  ...extra,
});
const EVENTS: Ev[] = [
  // 4 web visitors, 5 sessions; v1 twice (two sessions), v2 mobile from UG, v4 a bot (never counted).
  web("v1", "v1-a", "page_view", DAY + 1 * H, { path: "/", country: "KE", utm_source: "google" }),
  web("v1", "v1-a", "page_view", DAY + 1 * H + 60_000, { path: "/returns/mri", country: "KE", utm_source: "google" }),
  web("v1", "v1-b", "return_started", DAY + 30 * H, { path: "/returns/mri", country: "KE", props: { journey: "MRI", step: 2 } }),
  web("v2", "v2-a", "page_view", DAY + 2 * H, { path: "/", country: "UG", ua: MOBILE_UA }),
  web("v3", "v3-a", "page_view", DAY + 3 * H, { path: "/returns/tot", country: "KE", utm_source: "facebook" }),
  web("v3", "v3-a", "return_started", DAY + 3 * H + 120_000, { path: "/returns/tot", country: "KE", props: { journey: "TOT" } }),
  web("v5", "v5-a", "page_view", DAY + 26 * H, { path: "/", country: "TZ" }),
  web("v4", "v4-a", "page_view", DAY + 4 * H, { path: "/", ua: BOT_UA }),
  // A WhatsApp contact: one visitor (x:<phone>), one session (the conversation).
  { name: "message_received", ts: DAY + 5 * H, channel: "whatsapp", ext: "+254700000001", conv: "wa-1" },
  { name: "message_sent", ts: DAY + 5 * H + 60_000, channel: "whatsapp", ext: "+254700000001", conv: "wa-1" },
];
const RANGE = "from=2026-10-05&to=2026-10-06&tz=UTC&interval=day";

let project: Awaited<ReturnType<typeof newProject>>;
const get = <S extends Parameters<typeof getJson>[2]>(path: string, schema: S) =>
  getJson(`/api/projects/${project.id}/stats/${path}`, project.auth, schema);

/** Every row of a drill-down list, following `next_cursor`, in pages of `limit`. */
async function walk(path: string, limit = 2) {
  const rows: any[] = [];
  let cursor: string | null = null;
  let total = -1;
  for (let page = 0; page < 50; page++) {
    const schema = path.startsWith("events") ? statsEventsSchema : statsPeopleSchema;
    const { status, body }: { status: number; body: any } = await get(`${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, schema);
    expect(status, JSON.stringify(body)).toBe(200);
    rows.push(...(body.people ?? body.events));
    total = body.total;
    cursor = body.next_cursor;
    if (!cursor) return { rows, total };
  }
  throw new Error("more than 50 pages");
}

beforeAll(async () => {
  project = await newProject("drill");
  await ingest(project.id, EVENTS);
}, 60_000);

describe("drill-down lists add up to the figures", () => {
  it("counts the range's events flagged as bots, whatever the other filters", async () => {
    // By hand: 11 events in the range (8 web; 2 WhatsApp messages and the conversation's idle
    // resolution a day later, both days being in the range), one of them v4's bot page view.
    const { body } = await get(`bots?${RANGE}&country=KE`, botShareSchema);
    expect(body).toEqual({ events: 11, bot_events: 1, bot_share: Math.round((1 / 11) * 10_000) / 10_000 });
    const { body: none } = await get("bots?from=2026-09-01&to=2026-09-02&tz=UTC", botShareSchema);
    expect(none).toEqual({ events: 0, bot_events: 0, bot_share: null });
  });

  it("visitors, sessions, events and page views of the overview", async () => {
    const { body: o } = await get(`overview?${RANGE}`, overviewSchema);
    expect(o.source).toBe("rollups");
    // Counted by hand: the Overview's figures are the web's (WhatsApp is reported apart): v1 v2 v3 v5;
    // 5 sessions; 7 events, 5 page views; the bot excluded.
    expect(o.totals).toMatchObject({ visitors: 4, sessions: 5, events: 7, pageviews: 5 });
    const visitors = await walk(`people?${RANGE}`);
    expect(visitors.total).toBe(4);
    expect(visitors.rows.map((r) => r.visitor).sort()).toEqual(["v1", "v2", "v3", "v5"]);
    const contacts = await walk(`people?${RANGE}&channel=whatsapp`);
    expect(contacts.rows.map((r) => r.visitor)).toEqual(["x:+254700000001"]);
    const sessions = await walk(`people?${RANGE}&metric=sessions`);
    expect(sessions.rows).toHaveLength(5);
    expect(sessions.total).toBe(5);
    expect(sessions.rows.filter((r) => r.visitor === "v1").map((r) => r.session)).toEqual(["v1-a", "v1-b"]);
    const events = await walk(`events?${RANGE}`, 4);
    expect(events.rows).toHaveLength(7);
    expect(events.total).toBe(7);
    expect(new Set(events.rows.map((e) => e.event_id)).size).toBe(7);
    const views = await walk(`events?${RANGE}&metric=pageviews`);
    expect(views.rows).toHaveLength(5);
    expect(views.rows.every((e) => e.event_name === "page_view")).toBe(true);
  });

  it("each row links a person the timeline API opens", async () => {
    const { rows } = await walk(`people?${RANGE}`, 100);
    const contact = (await walk(`people?${RANGE}&channel=whatsapp`, 100)).rows.find((r) => r.visitor.startsWith("x:"));
    expect(contact.timeline).toEqual({ kind: "external_id", value: "+254700000001" });
    expect(rows.find((r) => r.visitor === "v1")).toMatchObject({ timeline: { kind: "anonymous_id", value: "v1" }, events: 3 });
    expect(rows.find((r) => r.visitor === "v1").person_id).toBeTruthy();
  });

  it("one series bucket: the list behind each point", async () => {
    const { body: o } = await get(`overview?${RANGE}`, overviewSchema);
    expect(o.series.map((p: any) => p.bucket)).toEqual(["2026-10-05", "2026-10-06"]);
    for (const point of o.series) {
      const v = await walk(`people?${RANGE}&bucket=${point.bucket}`);
      expect(v.rows.length, point.bucket).toBe(point.visitors);
      const s = await walk(`people?${RANGE}&bucket=${point.bucket}&metric=sessions`);
      expect(s.rows.length, point.bucket).toBe(point.sessions);
      const e = await walk(`events?${RANGE}&bucket=${point.bucket}`, 10);
      expect(e.rows.length, point.bucket).toBe(point.events);
    }
    const bad = await get(`people?${RANGE}&bucket=2026-11-01`, statsPeopleSchema);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("invalid_query");
  });

  it("one breakdown value, the missing-value row included", async () => {
    for (const dimension of ["country", "path", "utm_source", "device_type"]) {
      const { body: b } = await get(`breakdown?${RANGE}&dimension=${dimension}&limit=50`, breakdownSchema);
      expect(b.rows.length, dimension).toBeGreaterThan(1);
      for (const row of b.rows) {
        const value = row.value === null ? "" : `&value=${encodeURIComponent(row.value)}`;
        const v = await walk(`people?${RANGE}&dimension=${dimension}${value}`);
        expect(v.rows.length, `${dimension}=${row.value}`).toBe(row.visitors);
        const e = await walk(`events?${RANGE}&dimension=${dimension}${value}`, 10);
        expect(e.rows.length, `${dimension}=${row.value}`).toBe(row.events);
      }
    }
  });

  it("with filters set, exactly as the raw figure", async () => {
    const q = `${RANGE}&country=KE&channel=web`;
    const { body: o } = await get(`overview?${q}`, overviewSchema);
    expect(o.totals).toMatchObject({ visitors: 2, events: 5 });
    expect((await walk(`people?${q}`)).rows.map((r) => r.visitor)).toEqual(["v1", "v3"]);
  });

  it("a bad cursor is a 400", async () => {
    const { status, body } = await get(`people?${RANGE}&cursor=nonsense`, statsPeopleSchema);
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_cursor");
  });
});

describe("breakdowns page past 10 rows", () => {
  it("limit, offset and next_offset walk every row once", async () => {
    const { body: all } = await get(`breakdown?${RANGE}&dimension=path&limit=50`, breakdownSchema);
    expect(all.next_offset).toBeNull();
    const pages: any[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const { body }: { body: any } = await get(`breakdown?${RANGE}&dimension=path&limit=1&offset=${offset}`, breakdownSchema);
      pages.push(...body.rows);
      offset = body.next_offset;
    }
    expect(pages).toEqual(all.rows);
  });
});

describe("suggestions", () => {
  it("top values of each filter dimension, from rollups without filters", async () => {
    const country = await get(`values?${RANGE}&dimension=country`, statsValuesSchema);
    expect(country.body).toEqual({
      dimension: "country",
      source: "rollups",
      values: [
        { value: "KE", events: 5 },
        { value: "TZ", events: 1 },
        { value: "UG", events: 1 },
      ],
    });
    const page = await get(`values?${RANGE}&dimension=page&q=/ret`, statsValuesSchema);
    expect(page.body.values).toEqual([
      { value: "/returns/mri", events: 2 },
      { value: "/returns/tot", events: 2 },
    ]);
    const events = await get(`values?${RANGE}&dimension=event_name`, statsValuesSchema);
    expect(events.body.values.map((v: any) => v.value)).toEqual([
      "page_view",
      "return_started",
      "conversation_resolved",
      "message_received",
      "message_sent",
    ]);
    const filtered = await get(`values?${RANGE}&dimension=utm_source&country=KE`, statsValuesSchema);
    expect(filtered.body).toMatchObject({
      source: "raw",
      values: [
        { value: "google", events: 2 },
        { value: "facebook", events: 1 },
      ],
    });
  });

  it("person ids by prefix, for the people search", async () => {
    // By hand: web visitors' events (v4 the bot left out), most events first; the contact's phone.
    const anon = await get(`values?${RANGE}&dimension=anonymous_id&q=v`, statsValuesSchema);
    expect(anon.body).toEqual({
      dimension: "anonymous_id",
      source: "raw",
      values: [
        { value: "v1", events: 3 },
        { value: "v3", events: 2 },
        { value: "v2", events: 1 },
        { value: "v5", events: 1 },
      ],
    });
    const phone = await get(`values?${RANGE}&dimension=external_id&q=${encodeURIComponent("+2547")}`, statsValuesSchema);
    expect(phone.body.values.map((v: any) => v.value)).toEqual(["+254700000001"]);
    const none = await get(`values?${RANGE}&dimension=user_id`, statsValuesSchema);
    expect(none.body.values).toEqual([]);
  });

  it("property values and property keys for the funnel builder", async () => {
    const journey = await get(`values?${RANGE}&dimension=prop.journey`, statsValuesSchema);
    expect(journey.body.values).toEqual([
      { value: "MRI", events: 1 },
      { value: "TOT", events: 1 },
    ]);
    const keys = await get(`property-keys?${RANGE}&event=return_started`, propertyKeysSchema);
    expect(keys.body).toEqual({
      event: "return_started",
      keys: [
        { key: "journey", events: 2 },
        { key: "step", events: 1 },
      ],
    });
    const bad = await get(`values?${RANGE}&dimension=nope`, statsValuesSchema);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("invalid_dimension");
  });

  it("suggests the property keys of the range's latest events, so a busy range answers at once", async () => {
    const own = await newProject("keys");
    // Stored rows as the consumer writes them: one old event with a key nobody uses any more, then a
    // full sample of later ones. The suggestions read the latest PROPERTY_KEYS_SAMPLE events only.
    const insert = `INSERT INTO events (event_id, project_id, event_name, channel_type, timestamp, received_at, properties)
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
      SELECT 'k-' || i, ?1, 'return_started', 'web', ?2 + i * 1000, ?2 + i * 1000, '{"journey":"MRI","step":' || (i % 4) || '}' FROM n`;
    await env.DB.prepare(insert)
      .bind(own.id, DAY + H, PROPERTY_KEYS_SAMPLE)
      .run();
    await env.DB.prepare(
      `INSERT INTO events (event_id, project_id, event_name, channel_type, timestamp, received_at, properties)
       VALUES ('k-old', ?1, 'return_started', 'web', ?2, ?2, '{"legacy_flag":true}')`,
    )
      .bind(own.id, DAY + 60_000)
      .run();
    const keys = await getJson(`/api/projects/${own.id}/stats/property-keys?${RANGE}&event=return_started`, own.auth, propertyKeysSchema);
    expect(keys.body.keys).toEqual([
      { key: "journey", events: PROPERTY_KEYS_SAMPLE },
      { key: "step", events: PROPERTY_KEYS_SAMPLE },
    ]);
    // A range that holds fewer events than the sample reads them all: the old one, and the later ones
    // at 01:00:01 … 01:00:29 (the range ends before 01:00:30).
    const early = "from=2026-10-05T00:00:00Z&to=2026-10-05T01:00:30Z&tz=UTC";
    const all = await getJson(`/api/projects/${own.id}/stats/property-keys?${early}&event=return_started`, own.auth, propertyKeysSchema);
    expect(all.body.keys).toEqual([
      { key: "journey", events: 29 },
      { key: "step", events: 29 },
      { key: "legacy_flag", events: 1 },
    ]);
  });
});
