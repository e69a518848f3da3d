import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { waitFor } from "./helpers";
import { api, ingest, newProject, waEvent } from "./whatsapp-metrics-data";
import { breakdownSchema, whatsappGrowthSchema, whatsappMessagesSeriesSchema, whatsappOverviewSchema } from "../../workers/contract";

const phone = (i: number) => `+2547000${String(i).padStart(5, "0")}`;

/** Each day's `first_contact` count as the rollups answer it (breakdown by event name, one UTC day). */
async function firstContactsPerDay(project: string, days: string[]): Promise<number[]> {
  return Promise.all(
    days.map(async (day) => {
      const q = `dimension=event_name&from=${day}&to=${day}&tz=UTC&source=rollups&limit=100`;
      const body = await api(`/api/projects/${project}/stats/breakdown?${q}`, breakdownSchema);
      return body.rows.find((r) => r.value === "first_contact")?.events ?? 0;
    }),
  );
}

describe("WhatsApp overview and growth", { timeout: 30_000 }, () => {
  it("counts messages, contacts, opt-outs and new contacts against the previous period", async () => {
    const project = await newProject();
    // Range: 2026-11-08 .. 2026-11-14 in Nairobi (7 local days); the previous period is the 7 days before.
    const inRange = [
      ...[1, 2, 3].map((i) => waEvent(project, "first_contact", "2026-11-08T06:00:00Z", { external_id: phone(i) })),
      // 21:30 UTC on the 14th is 00:30 on the 15th in Nairobi: outside the range.
      waEvent(project, "first_contact", "2026-11-14T21:30:00Z", { external_id: phone(9) }),
      ...[1, 2, 3, 1, 2].map((i) => waEvent(project, "message_received", "2026-11-09T08:00:00Z", { external_id: phone(i) })),
      ...[1, 4].map((i) => waEvent(project, "message_sent", "2026-11-09T09:00:00Z", { external_id: phone(i) })),
      // A bot reply is outbound too; reported as both bot_response and message_sent it counts once.
      waEvent(project, "bot_response", "2026-11-09T09:05:00Z", {
        external_id: phone(2),
        properties: { provider_message_id: "wamid.bot-1" },
      }),
      waEvent(project, "message_sent", "2026-11-09T09:05:00Z", {
        external_id: phone(2),
        properties: { provider_message_id: "wamid.bot-1" },
      }),
      waEvent(project, "consent_changed", "2026-11-10T09:00:00Z", { external_id: phone(2), properties: { consent: "opted_out" } }),
      waEvent(project, "consent_changed", "2026-11-10T09:00:00Z", { external_id: phone(3), properties: { consent: "opted_in" } }),
    ];
    const previous = [5, 6].map((i) => waEvent(project, "first_contact", "2026-11-03T10:00:00Z", { external_id: phone(i) }));
    await ingest([...inRange, ...previous]);

    const body = await api(
      `/api/projects/${project}/whatsapp/overview?from=2026-11-08&to=2026-11-14&tz=Africa/Nairobi`,
      whatsappOverviewSchema,
    );
    expect(body).toMatchObject({
      messages_in: 5,
      messages_out: 3,
      unique_contacts: 4,
      new_contacts: 3,
      new_contacts_previous: 2,
      growth_rate: 0.5,
      opt_out_rate: 0.25,
    });
    expect(body.response_time.first.human).toEqual({ count: 0, mean: null, median: null, p90: null });
  });

  it("lists messages in and out per local bucket, adding up to the overview's totals", async () => {
    const project = await newProject();
    // [name, UTC time, provider message id]; in Nairobi (UTC+3) 21:00Z is already the next day.
    const messages: [string, string, string?][] = [
      ["message_received", "2026-11-08T06:00:00Z"],
      ["message_received", "2026-11-08T20:59:00Z"],
      ["message_received", "2026-11-08T21:00:00Z"],
      ["message_sent", "2026-11-08T21:10:00Z"],
      // One bot reply reported twice, in two quarters: counted once, at its first report (the 9th).
      ["bot_response", "2026-11-09T10:14:00Z", "wamid.twice"],
      ["message_sent", "2026-11-09T10:16:00Z", "wamid.twice"],
      ["message_received", "2026-11-10T22:00:00Z"],
    ];
    await ingest(
      messages.map(([name, at, id], i) =>
        waEvent(project, name, at, { external_id: phone(i), ...(id ? { properties: { provider_message_id: id } } : {}) }),
      ),
    );
    const q = "from=2026-11-08&to=2026-11-11&tz=Africa/Nairobi";
    const body = await api(`/api/projects/${project}/whatsapp/messages-series?${q}`, whatsappMessagesSeriesSchema);
    // Expected per local day, from the table: the day is the UTC time plus 3 h; outbound by distinct provider id.
    const local = (at: string) => new Date(Date.parse(at) + 3 * 3_600_000).toISOString().slice(0, 10);
    const days = ["2026-11-08", "2026-11-09", "2026-11-10", "2026-11-11"];
    const expected = days.map((day) => {
      const mine = messages.filter(([, at]) => local(at) === day);
      const outIds = new Set(messages.filter(([n]) => n !== "message_received").map(([, at, id]) => id ?? at));
      const firstOut = [...outIds].filter(
        (id) => local(messages.find(([n, at, mid]) => n !== "message_received" && (mid ?? at) === id)![1]) === day,
      );
      return { bucket: day, messages_in: mine.filter(([n]) => n === "message_received").length, messages_out: firstOut.length };
    });
    expect(body).toEqual({ interval: "day", series: expected });
    expect(expected.map((b) => [b.messages_in, b.messages_out])).toEqual([
      [2, 0],
      [1, 2],
      [0, 0],
      [1, 0],
    ]);
    const overview = await api(`/api/projects/${project}/whatsapp/overview?${q}`, whatsappOverviewSchema);
    expect(body.series.reduce((n, b) => n + b.messages_in, 0)).toBe(overview.messages_in);
    expect(body.series.reduce((n, b) => n + b.messages_out, 0)).toBe(overview.messages_out);
  });

  it("lists new contacts per local day, including empty days", async () => {
    const project = await newProject();
    const times = ["2026-11-08T20:59:00Z", "2026-11-08T21:00:00Z", "2026-11-09T12:00:00Z", "2026-11-10T23:00:00Z"];
    await ingest([
      ...times.map((t, i) => waEvent(project, "first_contact", t, { external_id: phone(i) })),
      waEvent(project, "first_contact", "2026-11-05T12:00:00Z", { external_id: phone(7) }),
    ]);
    const body = await api(
      `/api/projects/${project}/whatsapp/growth?from=2026-11-08&to=2026-11-11&tz=Africa/Nairobi`,
      whatsappGrowthSchema,
    );
    // In Nairobi (UTC+3) 20:59Z is still the 8th, 21:00Z is the 9th, 23:00Z on the 10th is the 11th.
    expect(body.series).toEqual([
      { day: "2026-11-08", new_contacts: 1 },
      { day: "2026-11-09", new_contacts: 2 },
      { day: "2026-11-10", new_contacts: 0 },
      { day: "2026-11-11", new_contacts: 1 },
    ]);
    expect(body).toMatchObject({ total: 4, previous_total: 1, growth_rate: 3 });
  });

  it("keeps a contact's new-contact day at its earliest message however late that message arrives", async () => {
    const project = await newProject();
    const id = `first_contact:${project}:${phone(1)}`;
    // The 10th's message is stored first; the 8th's (sent earlier, delivered late) arrives after it.
    await ingest([waEvent(project, "first_contact", "2026-11-10T09:00:00Z", { event_id: id, external_id: phone(1) })]);
    await ingest([waEvent(project, "first_contact", "2026-11-08T09:00:00Z", { event_id: id, external_id: phone(1) })]);
    // The id was already stored, so wait for the consumer to have handled the late one.
    await waitFor(
      async () =>
        (await env.DB.prepare("SELECT timestamp FROM events WHERE event_id = ?").bind(id).first<{ timestamp: number }>())?.timestamp ===
        Date.parse("2026-11-08T09:00:00Z"),
      15_000,
    );
    const body = await api(`/api/projects/${project}/whatsapp/growth?from=2026-11-08&to=2026-11-10&tz=UTC`, whatsappGrowthSchema);
    expect(body.series).toEqual([
      { day: "2026-11-08", new_contacts: 1 },
      { day: "2026-11-09", new_contacts: 0 },
      { day: "2026-11-10", new_contacts: 0 },
    ]);
    // The rollups moved the event's counts with it: each day's count by event name is the raw scan's.
    expect(await firstContactsPerDay(project, ["2026-11-08", "2026-11-10"])).toEqual([1, 0]);
  });

  it("moves a first_contact's rollup counts to the earliest of several late copies, in one batch or across batches", async () => {
    const project = await newProject();
    const [a, b] = [phone(2), phone(3)].map((p) => ({ event_id: `first_contact:${project}:${p}`, external_id: p }));
    await ingest([waEvent(project, "first_contact", "2026-11-10T09:00:00Z", a)]);
    // Two earlier copies of a's together; b's later copy comes first in its batch, so the insert keeps it.
    await ingest([
      waEvent(project, "first_contact", "2026-11-09T09:00:00Z", a),
      waEvent(project, "first_contact", "2026-11-08T09:00:00Z", a),
      waEvent(project, "first_contact", "2026-11-10T12:00:00Z", b),
      waEvent(project, "first_contact", "2026-11-09T12:00:00Z", b),
    ]);
    const at = (id: string) => env.DB.prepare("SELECT timestamp FROM events WHERE event_id = ?").bind(id).first<{ timestamp: number }>();
    await waitFor(
      async () =>
        (await at(a.event_id))?.timestamp === Date.parse("2026-11-08T09:00:00Z") &&
        (await at(b.event_id))?.timestamp === Date.parse("2026-11-09T12:00:00Z"),
      15_000,
    );
    // By hand: a on the 8th, b on the 9th, none left on the 10th.
    expect(await firstContactsPerDay(project, ["2026-11-08", "2026-11-09", "2026-11-10"])).toEqual([1, 1, 0]);
    const body = await api(`/api/projects/${project}/whatsapp/growth?from=2026-11-08&to=2026-11-10&tz=UTC`, whatsappGrowthSchema);
    expect(body.series.map((d) => d.new_contacts)).toEqual([1, 1, 0]);
  });
});
