import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE } from "./helpers";
import { api, ingest, newProject, waEvent } from "./whatsapp-metrics-data";
import { whatsappDeliverySchema, whatsappOverviewSchema } from "../../workers/contract";

// `undelivered` is Twilio's own failure status, stored as such and counted as failed.
type Status = "sent" | "delivered" | "read" | "failed" | "undelivered";
const FAILED: Status[] = ["failed", "undelivered"];
// Each message's statuses in the order the webhooks delivered them (out of order, with repeats),
// and the tags the sender put on the message or echoed on its statuses.
const MESSAGES: { id: string; statuses: Status[]; template?: string; campaign?: string; tagOn: "sent" | "status" }[] = [
  { id: "wamid.A", statuses: ["read", "sent", "delivered"], template: "welcome", campaign: "nov", tagOn: "sent" },
  { id: "wamid.B", statuses: ["delivered", "sent", "delivered"], template: "welcome", campaign: "nov", tagOn: "status" },
  { id: "wamid.C", statuses: ["sent", "failed"], template: "promo", campaign: "dec", tagOn: "status" },
  { id: "wamid.D", statuses: ["read"], template: "promo", tagOn: "sent" },
  { id: "wamid.E", statuses: ["sent", "sent"], tagOn: "sent" },
  { id: "wamid.F", statuses: ["failed", "sent"], template: "promo", campaign: "dec", tagOn: "sent" },
  { id: "SM.G", statuses: ["sent", "undelivered"], template: "promo", tagOn: "sent" },
  { id: "SM.H", statuses: ["undelivered", "delivered"], tagOn: "sent" },
];

/** The true funnel, computed message by message. */
function truth(ms: typeof MESSAGES) {
  const sent = ms.length;
  const delivered = ms.filter((m) => m.statuses.some((s) => s === "delivered" || s === "read")).length;
  const read = ms.filter((m) => m.statuses.includes("read")).length;
  const failed = ms.filter(
    (m) => m.statuses.some((s) => FAILED.includes(s)) && !m.statuses.some((s) => s === "delivered" || s === "read"),
  ).length;
  const r = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);
  return { sent, delivered, read, failed, delivery_rate: r(delivered, sent), read_rate: r(read, delivered), failure_rate: r(failed, sent) };
}

async function seed(project: string) {
  const t0 = Date.parse("2026-11-03T10:00:00Z");
  const events = MESSAGES.flatMap((m, i) => {
    const tags = { template: m.template, biz_opaque_callback_data: m.campaign };
    const sent = waEvent(project, "message_sent", t0 + i * 60_000, {
      properties: { direction: "outbound", provider_message_id: m.id, ...(m.tagOn === "sent" ? tags : {}) },
    });
    // Later statuses carry earlier timestamps for some messages: arrival order is not status order.
    const statuses = m.statuses.map((status, j) =>
      waEvent(project, "message_status", t0 + i * 60_000 + (m.statuses.length - j) * 1000, {
        properties: { status, provider_message_id: m.id, ...(m.tagOn === "status" ? tags : {}) },
      }),
    );
    return [sent, ...statuses];
  });
  await ingest(events);
}

describe("WhatsApp delivery funnel", { timeout: 30_000 }, () => {
  it("counts each message once at its furthest status, whatever order statuses arrive in", async () => {
    const project = await newProject();
    await seed(project);
    const body = await api(`/api/projects/${project}/whatsapp/overview?from=2026-11-01&to=2026-11-07`, whatsappOverviewSchema);
    expect(body.delivery).toEqual(truth(MESSAGES));
    expect(body.messages_out).toBe(MESSAGES.length);
  });

  it.each(["template", "campaign"] as const)("splits the funnel per %s tag, from the message or its statuses", async (group) => {
    const project = await newProject();
    await seed(project);
    const { rows } = await api(
      `/api/projects/${project}/whatsapp/delivery?group=${group}&from=2026-11-01&to=2026-11-07`,
      whatsappDeliverySchema,
    );
    const values = [...new Set(MESSAGES.map((m) => m[group] ?? null))];
    const expected = values.map((value) => ({ value, ...truth(MESSAGES.filter((m) => (m[group] ?? null) === value)) }));
    expect(rows).toEqual(expect.arrayContaining(expected));
    expect(rows).toHaveLength(expected.length);
  });

  it("answers 400 for an unknown group", async () => {
    const project = await newProject();
    const res = await SELF.fetch(`${BASE}/api/projects/${project}/whatsapp/delivery?group=country`, {
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(400);
  });
});
