import { env, introspectWorkflowInstance } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { campaignRecipientsSchema, campaignResultsSchema, campaignSchema, campaignSettingsSchema } from "../../workers/contract";
import { waitFor } from "./helpers";
import { accepted, call, campaign, campaignProject, contacts, replayStatuses, segment, standin, template, type TestProject } from "./campaigns-helpers";

const NO_RULES = { quiet_hours: null, frequency_cap: null, throughput_per_second: 200, breaker_threshold: 3, max_attempts: 5 };

async function recipients(p: TestProject, id: string) {
  const r = await call(p, "GET", `/campaigns/${id}/recipients`, campaignRecipientsSchema);
  expect(r.status).toBe(200);
  return Object.fromEntries(r.body.recipients.map((x: any) => [x.address, x]));
}

/** Launches a campaign and waits for its Workflow instance to finish (retry delays off: behaviour, not timing). */
async function launchAndFinish(p: TestProject, id: string, status: "complete" | "waiting" = "complete") {
  await using instance = await introspectWorkflowInstance(env.CAMPAIGNS, id);
  await instance.modify(async (m) => m.disableRetryDelays());
  const r = await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  await instance.waitForStatus(status);
}

describe("a campaign, end to end through the stand-in provider (Meta)", () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await campaignProject("camp-slice", "meta:700100200300400");
    expect((await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, NO_RULES)).status).toBe(200);
  });

  it("sends the rendered template to every consenting member, skips a missing variable and attributes statuses", async () => {
    await contacts(p, [
      { phone: "+254711000001", consent: "opted_in", name: "Amina", traits: { cohort: "slice" } },
      { phone: "+254711000002", consent: "opted_in", name: "Baraka", traits: { cohort: "slice" } },
      { phone: "+254711000003", consent: "opted_in", traits: { cohort: "slice" } },
    ]);
    const seg = await segment(p, [{ type: "trait", trait: "cohort", op: "eq", value: "slice" }]);
    const tpl = await template(p, { name: "spring_offer", components: [{ type: "body", variables: [{ from: "trait", key: "name" }, { from: "static", value: "20%" }] }] });
    const id = await campaign(p, { segment_id: seg, template_id: tpl });
    await launchAndFinish(p, id);

    const sent = await accepted(p.account);
    const mine = sent.filter((m) => m.biz_opaque_callback_data === `${id}:A`);
    expect(mine.map((m) => m.to).sort()).toEqual(["254711000001", "254711000002"]);
    const amina = mine.find((m) => m.to === "254711000001")!;
    expect(amina.request.template).toEqual({ name: "spring_offer", language: { code: "en" }, components: [{ type: "body", parameters: [{ type: "text", text: "Amina" }, { type: "text", text: "20%" }] }] });

    const rs = await recipients(p, id);
    expect(rs["+254711000003"]).toMatchObject({ status: "skipped", reason: "missing_variable:name" });
    expect(rs["+254711000001"]).toMatchObject({ status: "sent", provider_message_id: amina.id, attempts: 1 });

    await waitFor(async () => {
      await replayStatuses(mine.map((m) => m.id));
      const r = await call(p, "GET", `/campaigns/${id}/results`, campaignResultsSchema);
      return r.body.totals.read === 2 ? r.body : null;
    }, 15_000);
    const r = (await call(p, "GET", `/campaigns/${id}/results`, campaignResultsSchema)).body;
    expect(r.totals).toMatchObject({ audience: 3, skipped: { "missing_variable:name": 1 }, sent: 2, delivered: 2, read: 2, failed: 0, pending: 0 });
    expect((await call(p, "GET", `/campaigns/${id}`, campaignSchema)).body.status).toBe("completed");
  });
});
