import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, readJson } from "./helpers";
import { api, ingest, newProject, waEvent } from "./whatsapp-metrics-data";
import { errorSchema, peakHourMessagesSchema, peakHoursSchema, type PeakHourMessages } from "../../workers/contract";

/** Weekday (0 = Monday) and hour of an instant in a zone, straight from Intl. */
function localSlot(t: number, tz: string): [number, number] {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, weekday: "short", hour: "numeric", hourCycle: "h23" }).formatToParts(
    new Date(t),
  );
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return [["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(get("weekday")), Number(get("hour"))];
}

// Inbound messages around local midnights: Sunday→Monday and Monday→Tuesday in Nairobi (UTC+3)
// and in Kathmandu (UTC+5:45, where a UTC hour straddles two local hours).
const INBOUND = [
  "2026-11-01T20:59:59Z",
  "2026-11-01T21:00:00Z",
  "2026-11-01T22:30:00Z",
  "2026-11-02T18:14:59Z",
  "2026-11-02T18:15:00Z",
  "2026-11-02T20:59:00Z",
  "2026-11-02T21:00:00Z",
  "2026-11-02T21:00:01Z",
  "2026-11-04T12:00:00Z",
];

describe("GET /whatsapp/peak-hours", { timeout: 30_000 }, () => {
  it.each(["Africa/Nairobi", "Asia/Kathmandu", "UTC"])("buckets inbound messages by local weekday and hour in %s", async (tz) => {
    const project = await newProject();
    await ingest([
      ...INBOUND.map((t) => waEvent(project, "message_received", t)),
      // Outbound messages and other channels are not "when customers write".
      waEvent(project, "message_sent", "2026-11-02T09:00:00Z"),
      waEvent(project, "message_received", "2026-11-02T09:00:00Z", { channel_type: "web" }),
    ]);

    const body = await api(`/api/projects/${project}/whatsapp/peak-hours?from=2026-10-30&to=2026-11-08&tz=${tz}`, peakHoursSchema);
    const expected = Array.from({ length: 7 }, () => Array(24).fill(0));
    for (const t of INBOUND) {
      const [day, hour] = localSlot(Date.parse(t), tz);
      expected[day][hour]++;
    }
    expect(body.tz).toBe(tz);
    expect(body.matrix).toEqual(expected);
  });

  it("puts 20:59 UTC on Monday 23:00 and 21:00 UTC on Tuesday 00:00 in Nairobi", async () => {
    const project = await newProject();
    await ingest([
      waEvent(project, "message_received", "2026-11-02T20:59:00Z"),
      waEvent(project, "message_received", "2026-11-02T21:00:00Z"),
    ]);
    const { matrix } = await api(
      `/api/projects/${project}/whatsapp/peak-hours?from=2026-11-01&to=2026-11-07&tz=Africa/Nairobi`,
      peakHoursSchema,
    );
    expect(matrix[0][23]).toBe(1);
    expect(matrix[1][0]).toBe(1);
    expect(matrix.flat().reduce((a: number, b: number) => a + b)).toBe(2);
  });

  it.each(["Africa/Nairobi", "Asia/Kathmandu"])("lists the inbound messages behind each cell in %s, page by page", async (tz) => {
    const project = await newProject();
    await ingest([
      ...INBOUND.map((t) => waEvent(project, "message_received", t)),
      waEvent(project, "message_sent", "2026-11-02T21:00:00Z"),
    ]);
    const range = `from=2026-10-30&to=2026-11-08&tz=${tz}`;
    // Expected by hand, from Intl: every inbound instant in its local (weekday, hour).
    const expected = new Map<string, string[]>();
    for (const t of INBOUND) {
      const key = localSlot(Date.parse(t), tz).join(",");
      expected.set(key, [...(expected.get(key) ?? []), new Date(t).toISOString()]);
    }
    for (const [key, times] of expected) {
      const [weekday, hour] = key.split(",");
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 20; page++) {
        const body: PeakHourMessages = await api(
          `/api/projects/${project}/whatsapp/peak-hours/messages?${range}&weekday=${weekday}&hour=${hour}&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
          peakHourMessagesSchema,
        );
        expect(body.total).toBe(times.length);
        seen.push(...body.events.map((e) => e.timestamp));
        cursor = body.next_cursor;
        if (!cursor) break;
      }
      expect(seen).toEqual([...times].sort().reverse());
    }
    // A cell with no message lists nobody.
    const empty = await api(`/api/projects/${project}/whatsapp/peak-hours/messages?${range}&weekday=5&hour=3`, peakHourMessagesSchema);
    expect(empty).toMatchObject({ total: 0, events: [], next_cursor: null });
  });

  it("answers 400 for an unknown time zone", async () => {
    const project = await newProject();
    const res = await SELF.fetch(`${BASE}/api/projects/${project}/whatsapp/peak-hours?tz=Mars/Olympus`, {
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(400);
    expect(await readJson(res, errorSchema)).toMatchObject({ error: "invalid_query" });
  });
});
