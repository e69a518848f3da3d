import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  errorSchema,
  whatsappContactsSchema,
  whatsappDeliverySchema,
  whatsappMessagesSchema,
  whatsappMessagesSeriesSchema,
  whatsappOverviewSchema,
  type ApiEvent,
  type EventRecordInput,
  type WhatsAppContact,
  type WhatsAppContacts,
  type WhatsAppMessages,
} from "../../workers/contract";
import { BASE, readJson } from "./helpers";
import { api, ingest, newProject, waEvent } from "./whatsapp-metrics-data";

const FROM = "2026-11-01";
const TO = "2026-11-06";
const RANGE_MS = [Date.parse("2026-11-01T00:00:00Z"), Date.parse("2026-11-07T00:00:00Z")];
const P = ["+254700000101", "+254700000102", "+254700000103", "+254700000104", "+254700000105"];

type Status = "sent" | "delivered" | "read" | "failed" | "undelivered";
// Outbound messages with their statuses as the webhooks delivered them (out of order, repeated) and their tags.
const DELIVERY: { id: string; statuses: Status[]; template?: string; campaign?: string; tagOn: "sent" | "status" }[] = [
  { id: "wamid.A", statuses: ["read", "sent", "delivered"], template: "welcome", campaign: "nov", tagOn: "sent" },
  { id: "wamid.B", statuses: ["delivered", "sent", "delivered"], template: "welcome", campaign: "nov", tagOn: "status" },
  { id: "wamid.C", statuses: ["sent", "failed"], template: "promo", campaign: "dec", tagOn: "status" },
  { id: "wamid.D", statuses: ["read"], template: "promo", tagOn: "sent" },
  { id: "wamid.E", statuses: ["sent", "sent"], tagOn: "sent" },
  { id: "wamid.F", statuses: ["failed", "sent"], template: "promo", campaign: "dec", tagOn: "sent" },
  { id: "SM.G", statuses: ["sent", "undelivered"], template: "promo", tagOn: "sent" },
  { id: "SM.H", statuses: ["undelivered", "delivered"], tagOn: "sent" },
];

/** The hand-built data set: inbound and outbound messages around Nairobi midnights, delivery statuses, and noise. */
function dataSet(project: string): EventRecordInput[] {
  const msg = (name: string, at: string, phone: string, properties: Record<string, unknown> = {}, over: Partial<EventRecordInput> = {}) =>
    waEvent(project, name, at, { external_id: phone, properties, ...over });
  const t0 = Date.parse("2026-11-03T10:00:00Z");
  const delivery = DELIVERY.flatMap((m, i) => {
    const tags = { template: m.template, biz_opaque_callback_data: m.campaign };
    const at = t0 + i * 60_000;
    return [
      waEvent(project, "message_sent", at, {
        external_id: P[4],
        properties: { direction: "outbound", provider_message_id: m.id, ...(m.tagOn === "sent" ? tags : {}) },
      }),
      // Later statuses carry earlier timestamps for some messages: arrival order is not status order.
      ...m.statuses.map((status, j) =>
        waEvent(project, "message_status", at + (m.statuses.length - j) * 1000, {
          external_id: P[4],
          properties: { status, provider_message_id: m.id, ...(m.tagOn === "status" ? tags : {}) },
        }),
      ),
    ];
  });
  return [
    // 20:59Z and 21:01Z fall on two local days in Nairobi (UTC+3).
    msg("message_received", "2026-11-02T08:00:00Z", P[0]),
    msg("message_received", "2026-11-02T20:59:00Z", P[0]),
    msg("message_received", "2026-11-02T21:01:00Z", P[0]),
    msg("message_received", "2026-11-04T12:00:00Z", P[1]),
    msg("message_received", "2026-11-05T09:00:00Z", P[2]),
    msg("message_received", "2026-11-05T09:00:00Z", P[2]),
    // One reply reported twice (by the agent tool and the bot), its reports either side of a Nairobi midnight.
    msg("message_sent", "2026-11-02T20:50:00Z", P[0], { provider_message_id: "wamid.O1" }),
    msg("bot_response", "2026-11-02T21:10:00Z", P[0], { provider_message_id: "wamid.O1" }),
    // No provider id: the event is the message.
    msg("bot_response", "2026-11-04T12:01:00Z", P[1]),
    // A contact only written to.
    msg("message_sent", "2026-11-06T10:00:00Z", P[3], { provider_message_id: "wamid.O3" }),
    ...delivery,
    // Not counted: before the range, another channel, a bot.
    msg("message_received", "2026-10-20T10:00:00Z", P[0]),
    msg("message_received", "2026-11-03T10:00:00Z", P[1], {}, { channel_type: "web", conversation_id: null }),
    msg("message_received", "2026-11-03T11:00:00Z", "+254700000999", {}, { is_bot: true }),
  ];
}

// ── The figures, computed here from the data set rather than by the Worker ──

const counted = (events: EventRecordInput[]) =>
  events.filter((e) => e.channel_type === "whatsapp" && !e.is_bot && e.timestamp >= RANGE_MS[0] && e.timestamp < RANGE_MS[1]);
const inbound = (events: EventRecordInput[]) => counted(events).filter((e) => e.event_name === "message_received");
const outboundKey = (e: EventRecordInput) => (e.properties?.provider_message_id as string | undefined) ?? e.event_id;

/** Each outbound message by its first report. */
function outbound(events: EventRecordInput[]): EventRecordInput[] {
  const first = new Map<string, EventRecordInput>();
  const out = counted(events)
    .filter((e) => e.event_name === "message_sent" || e.event_name === "bot_response")
    .sort((a, b) => a.timestamp - b.timestamp);
  for (const e of out) if (!first.has(outboundKey(e))) first.set(outboundKey(e), e);
  return [...first.values()];
}

const reached = (m: (typeof DELIVERY)[number]) => m.statuses.some((s) => s === "delivered" || s === "read");
const failedOnly = (m: (typeof DELIVERY)[number]) => m.statuses.some((s) => s === "failed" || s === "undelivered") && !reached(m);
const FUNNEL = {
  sent: () => true,
  delivered: reached,
  read: (m: (typeof DELIVERY)[number]) => m.statuses.includes("read"),
  failed: failedOnly,
} as const;
/** The status a message is counted at: its furthest, a failure above a bare `sent`. */
const furthest = (m: (typeof DELIVERY)[number]) =>
  m.statuses.includes("read") ? "read" : reached(m) ? "delivered" : (m.statuses.find((s) => s !== "sent") ?? "sent");

const localDay = (t: number, tz: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(t);

// ── Reading the lists ──

const get = (path: string) => SELF.fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } });

/** Every page of a messages list, checking each page's total and that the pages hold each row once, newest first. */
async function allMessages(project: string, query: string, limit = 3) {
  const events: ApiEvent[] = [];
  let total = -1;
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const body: WhatsAppMessages = await api(
      `/api/projects/${project}/whatsapp/messages?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      whatsappMessagesSchema,
    );
    if (total >= 0) expect(body.total).toBe(total);
    total = body.total;
    events.push(...body.events);
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
  expect(events.length).toBe(total);
  const order = events.map((e) => `${e.timestamp}|${e.event_id}`);
  expect(order).toEqual([...order].sort().reverse());
  return { total, events };
}

async function allContacts(project: string, query: string) {
  const contacts: WhatsAppContact[] = [];
  let total = -1;
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const body: WhatsAppContacts = await api(
      `/api/projects/${project}/whatsapp/contacts?${query}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      whatsappContactsSchema,
    );
    total = body.total;
    contacts.push(...body.contacts);
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  expect(contacts.length).toBe(total);
  return { total, contacts };
}

const pids = (events: ApiEvent[]) => events.map((e) => e.properties.provider_message_id as string).sort();

let project: string;
let events: EventRecordInput[];
beforeAll(async () => {
  project = await newProject("wadrill");
  events = dataSet(project);
  await ingest(events);
}, 30_000);

describe("WhatsApp drill-down: the messages and contacts behind each figure", { timeout: 30_000 }, () => {
  const range = `from=${FROM}&to=${TO}&tz=UTC`;

  it("lists the messages in and out the overview counts, each once, across pages", async () => {
    const overview = await api(`/api/projects/${project}/whatsapp/overview?${range}`, whatsappOverviewSchema);
    const ins = await allMessages(project, `${range}&figure=messages_in`);
    expect(ins.total).toBe(inbound(events).length);
    expect(ins.total).toBe(overview.messages_in);
    expect(ins.events.map((e) => e.event_id).sort()).toEqual(
      inbound(events)
        .map((e) => e.event_id)
        .sort(),
    );

    const outs = await allMessages(project, `${range}&figure=messages_out`, 2);
    expect(outs.total).toBe(outbound(events).length);
    expect(outs.total).toBe(overview.messages_out);
    // The message reported twice is listed once, by its first report.
    expect(outs.events.map((e) => e.event_id).sort()).toEqual(
      outbound(events)
        .map((e) => e.event_id)
        .sort(),
    );
  });

  it("narrows messages in and out to one bucket of the series, in the view's zone", async () => {
    for (const [tz, interval] of [
      ["Africa/Nairobi", "day"],
      ["UTC", "hour"],
    ] as const) {
      const q = `from=${FROM}&to=${TO}&tz=${tz}&interval=${interval}`;
      const { series } = await api(`/api/projects/${project}/whatsapp/messages-series?${q}`, whatsappMessagesSeriesSchema);
      const label = (t: number) => (interval === "day" ? localDay(t, tz) : `${new Date(t).toISOString().slice(0, 13)}:00`);
      for (const b of series.filter((s) => s.messages_in || s.messages_out)) {
        const ins = await allMessages(project, `${q}&figure=messages_in&bucket=${b.bucket}`);
        const outs = await allMessages(project, `${q}&figure=messages_out&bucket=${b.bucket}`);
        expect([b.bucket, ins.total, outs.total]).toEqual([b.bucket, b.messages_in, b.messages_out]);
        expect([b.bucket, ins.total]).toEqual([b.bucket, inbound(events).filter((e) => label(e.timestamp) === b.bucket).length]);
        expect([b.bucket, outs.total]).toEqual([b.bucket, outbound(events).filter((e) => label(e.timestamp) === b.bucket).length]);
      }
    }
    // In Nairobi the twice-reported reply counts on 2 November, where it was first reported, and not on the 3rd.
    const q = `from=${FROM}&to=${TO}&tz=Africa/Nairobi&figure=messages_out`;
    expect(pids((await allMessages(project, `${q}&bucket=2026-11-02`)).events)).toEqual(["wamid.O1"]);
    expect(pids((await allMessages(project, `${q}&bucket=2026-11-03`)).events)).not.toContain("wamid.O1");
  });

  it("lists the messages behind each delivery step, one per message at the status it counts at", async () => {
    const { delivery } = await api(`/api/projects/${project}/whatsapp/overview?${range}`, whatsappOverviewSchema);
    for (const figure of ["sent", "delivered", "read", "failed"] as const) {
      const expected = DELIVERY.filter(FUNNEL[figure]);
      const list = await allMessages(project, `${range}&figure=${figure}`, 2);
      expect([figure, list.total]).toEqual([figure, expected.length]);
      expect([figure, list.total]).toEqual([figure, delivery[figure]]);
      expect(pids(list.events)).toEqual(expected.map((m) => m.id).sort());
      for (const e of list.events) {
        const m = DELIVERY.find((x) => x.id === e.properties.provider_message_id)!;
        expect([m.id, e.event_name, e.properties.status]).toEqual([m.id, "message_status", furthest(m)]);
      }
    }
  });

  it.each(["template", "campaign"] as const)("narrows delivery steps to one %s row, the untagged row included", async (group) => {
    const { rows } = await api(`/api/projects/${project}/whatsapp/delivery?${range}&group=${group}`, whatsappDeliverySchema);
    expect(rows.length).toBe(new Set(DELIVERY.map((m) => m[group] ?? null)).size);
    for (const row of rows) {
      for (const figure of ["sent", "delivered", "read", "failed"] as const) {
        const value = row.value === null ? "" : `&value=${encodeURIComponent(row.value)}`;
        const list = await allMessages(project, `${range}&figure=${figure}&group=${group}${value}`, 2);
        const expected = DELIVERY.filter((m) => (m[group] ?? null) === row.value).filter(FUNNEL[figure]);
        expect([row.value, figure, list.total]).toEqual([row.value, figure, row[figure]]);
        expect(pids(list.events)).toEqual(expected.map((m) => m.id).sort());
      }
    }
  });

  it("lists the unique contacts with their messages, as many as the overview counts", async () => {
    const overview = await api(`/api/projects/${project}/whatsapp/overview?${range}`, whatsappOverviewSchema);
    const { total, contacts } = await allContacts(project, range);
    const messages = [...inbound(events), ...outbound(events)];
    const phones = [...new Set(messages.map((e) => e.external_id!))];
    expect(total).toBe(phones.length);
    expect(total).toBe(overview.unique_contacts);
    expect(contacts.map((c) => c.external_id).sort()).toEqual(phones.sort());
    for (const c of contacts) {
      const own = counted(events).filter(
        (e) => e.external_id === c.external_id && ["message_received", "message_sent", "bot_response"].includes(e.event_name),
      );
      const times = own.map((e) => e.timestamp);
      expect(c).toMatchObject({
        timeline: { kind: "external_id", value: c.external_id },
        messages: messages.filter((e) => e.external_id === c.external_id).length,
        first_message_at: new Date(Math.min(...times)).toISOString(),
        last_message_at: new Date(Math.max(...times)).toISOString(),
      });
    }
    // Latest message first.
    const last = contacts.map((c) => c.last_message_at);
    expect(last).toEqual([...last].sort().reverse());
  });

  it("filters each list as its figure: a property filter and a narrower range", async () => {
    for (const q of [`${range}&prop.template=promo`, "from=2026-11-02&to=2026-11-03&tz=Africa/Nairobi"]) {
      const overview = await api(`/api/projects/${project}/whatsapp/overview?${q}`, whatsappOverviewSchema);
      const totals = {
        messages_in: overview.messages_in,
        messages_out: overview.messages_out,
        ...Object.fromEntries((["sent", "delivered", "read", "failed"] as const).map((k) => [k, overview.delivery[k]])),
      };
      for (const [figure, n] of Object.entries(totals))
        expect([q, figure, (await allMessages(project, `${q}&figure=${figure}`)).total]).toEqual([q, figure, n]);
      expect((await allContacts(project, q)).total).toBe(overview.unique_contacts);
    }
  });
});

describe("WhatsApp drill-down: bad input", () => {
  // No tz here, so a case can set its own (tz defaults to UTC).
  const range = `from=${FROM}&to=${TO}`;
  it.each([
    ["messages", "", "invalid_query"],
    ["messages", "figure=replies", "invalid_query"],
    ["messages", "figure=sent&limit=0", "invalid_query"],
    ["messages", "figure=sent&limit=1001", "invalid_query"],
    ["messages", "figure=sent&limit=ten", "invalid_query"],
    ["messages", "figure=sent&cursor=not-a-cursor", "invalid_cursor"],
    // A well-formed cursor of the wrong shape (a contacts cursor holds a number then a string too, so use a bare string).
    ["messages", `figure=sent&cursor=${btoa(JSON.stringify(["x"]))}`, "invalid_cursor"],
    ["messages", "figure=messages_in&bucket=2025-01-01", "invalid_query"],
    ["messages", "figure=sent&bucket=2026-11-02", "invalid_query"],
    ["messages", "figure=messages_in&group=template", "invalid_query"],
    ["messages", "figure=sent&value=welcome", "invalid_query"],
    ["messages", "figure=sent&group=country", "invalid_query"],
    ["messages", "figure=sent&tz=Mars/Olympus", "invalid_query"],
    ["messages", "figure=sent&interval=fortnight", "invalid_query"],
    ["contacts", "limit=0", "invalid_query"],
    ["contacts", "cursor=%%%", "invalid_cursor"],
    ["contacts", "prop.bad key=1", "invalid_query"],
  ])("/whatsapp/%s?%s answers 400 %s", async (route, query, code) => {
    const res = await get(`/api/projects/${project}/whatsapp/${route}?${range}${query ? `&${query}` : ""}`);
    expect(res.status).toBe(400);
    expect(await readJson(res, errorSchema)).toMatchObject({ error: code });
  });

  it.each(["messages?figure=read&", "contacts?"])("/whatsapp/%s answers 400 invalid_range when from is not before to", async (route) => {
    const res = await get(`/api/projects/${project}/whatsapp/${route}from=2026-11-06&to=2026-11-01`);
    expect(res.status).toBe(400);
    expect(await readJson(res, errorSchema)).toMatchObject({ error: "invalid_range" });
  });
});
