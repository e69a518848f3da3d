import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { waitFor } from "./helpers";
import { api, ingest, newProject, waEvent } from "./whatsapp-metrics-data";
import { whatsappGrowthSchema, whatsappOverviewSchema } from "../../workers/contract";

const phone = (i: number) => `+2547000${String(i).padStart(5, "0")}`;

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
  });
});
