import { env, introspectWorkflowInstance } from "cloudflare:test";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { campaignResultsSchema, campaignSchema, campaignSettingsSchema } from "../../workers/contract";
import { waitFor } from "./helpers";
import {
  accepted,
  call,
  campaign,
  campaignProject,
  contacts,
  NO_RULES,
  recipients,
  segment,
  template,
  type TestProject,
} from "./campaigns-helpers";

// Through Twilio: the provider faults of campaigns.test.ts are injected for Meta only, so the two
// files can share the stand-in while they run side by side.

describe("scheduling and control", () => {
  let p: TestProject;
  let seg: string;
  let tpl: string;
  beforeAll(async () => {
    p = await campaignProject("camp-control", "twilio:+15550009002");
    await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, NO_RULES);
    await contacts(
      p,
      ["+254799000001", "+254799000002", "+254799000003"].map((phone) => ({ phone, consent: "opted_in" as const })),
    );
    seg = await segment(p, [{ type: "reachable", value: true }]);
  });
  // Each test its own template, so its sends are told apart by Content SID (Twilio has no callback data).
  let n = 0;
  let sid = "";
  beforeEach(async () => {
    sid = "HX" + String(++n).repeat(32).slice(0, 32);
    tpl = await template(p, { name: `control_${n}`, twilio_content_sid: sid });
  });
  const mine = async (_id: string) => (await accepted(p.account)).filter((m) => m.request.ContentSid === sid);
  const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

  it("waits for send_at, then sends", async () => {
    const id = await campaign(p, { segment_id: seg, template_id: tpl, send_at: inAnHour() });
    await using instance = await introspectWorkflowInstance(env.CAMPAIGNS, id);
    await instance.modify(async (m) => m.disableSleeps());
    expect((await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema)).body.status).toBe("scheduled");
    await instance.waitForStatus("complete");
    expect((await mine(id)).length).toBe(3);
  });

  it("cancels a scheduled campaign before anything is sent", async () => {
    const id = await campaign(p, { segment_id: seg, template_id: tpl, send_at: inAnHour() });
    const launched = await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema);
    expect([launched.body.status, launched.body.audience]).toEqual(["scheduled", 3]);
    expect((await call(p, "POST", `/campaigns/${id}/cancel`, campaignSchema)).body.status).toBe("cancelled");
    await waitFor(async () => (await (await env.CAMPAIGNS.get(id)).status()).status === "terminated", 10_000);
    // Nobody is left pending: the three end skipped, and the results add up to the audience.
    expect(Object.values(await recipients(p, id)).map((r) => [r.status, r.reason])).toEqual([
      ["skipped", "campaign_cancelled"],
      ["skipped", "campaign_cancelled"],
      ["skipped", "campaign_cancelled"],
    ]);
    const results = await call(p, "GET", `/campaigns/${id}/results`, campaignResultsSchema);
    expect(results.body.status).toBe("cancelled");
    expect(results.body.totals).toMatchObject({ audience: 3, pending: 0, sent: 0, failed: 0, skipped: { campaign_cancelled: 3 } });
    expect(await mine(id)).toEqual([]);
    expect((await call(p, "POST", `/campaigns/${id}/resume`, campaignSchema)).status).toBe(409);
  });

  it("pauses between sends and resumes where it stopped, sending each recipient once", async () => {
    await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, { ...NO_RULES, throughput_per_second: 1 });
    const id = await campaign(p, { segment_id: seg, template_id: tpl });
    await using instance = await introspectWorkflowInstance(env.CAMPAIGNS, id);
    expect((await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema)).status).toBe(202);
    await waitFor(async () => (await mine(id)).length >= 1, 10_000);
    const paused = await call(p, "POST", `/campaigns/${id}/pause`, campaignSchema);
    expect([paused.status, paused.body.pause_reason]).toEqual([200, "paused_by_user"]);
    // The batch step stops before its next send (and the instance then waits for the resume event).
    expect(await instance.waitForStepResult({ name: "send 1" })).toMatchObject({ state: "paused" });
    const before = (await mine(id)).length;
    expect(before).toBeLessThan(3);
    expect(Object.values(await recipients(p, id)).filter((r) => r.status === "pending").length).toBe(3 - before);
    expect((await call(p, "POST", `/campaigns/${id}/resume`, campaignSchema)).body.status).toBe("running");
    await instance.waitForStatus("complete");
    expect((await mine(id)).map((m) => m.request.To).sort()).toEqual([
      "whatsapp:+254799000001",
      "whatsapp:+254799000002",
      "whatsapp:+254799000003",
    ]);
    expect((await call(p, "GET", `/campaigns/${id}`, campaignSchema)).body.status).toBe("completed");
  });
});

describe("cancelling a campaign with recipients still waiting", () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await campaignProject("camp-cancel", "twilio:+15550009004");
  });
  let n = 0;
  const tpl = () => template(p, { name: `cancel_${++n}`, twilio_content_sid: "HX" + "c".repeat(31) + n });
  const results = async (id: string) => (await call(p, "GET", `/campaigns/${id}/results`, campaignResultsSchema)).body;

  it("skips the recipients deferred by quiet hours, so the results add up with nothing pending", async () => {
    // Quiet hours from an hour ago to an hour from now (UTC); Etc/GMT-12 is UTC+12, outside them.
    const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const quiet = { start: hhmm(minute - 3_600_000), end: hhmm(minute + 3_600_000) };
    await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, { ...NO_RULES, quiet_hours: quiet, quiet_mode: "defer" });
    await contacts(p, [
      { phone: "+254798000001", consent: "opted_in", timezone: "UTC" },
      { phone: "+254798000002", consent: "opted_in", timezone: "UTC" },
      { phone: "+254798000003", consent: "opted_in", timezone: "Etc/GMT-12" },
    ]);
    const seg = await segment(p, [{ type: "reachable", value: true }]);
    const id = await campaign(p, { segment_id: seg, template_id: await tpl() });
    expect((await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema)).status).toBe(202);
    // One sent, two deferred, and the instance asleep until the quiet hours end.
    await waitFor(async () => {
      const t = (await results(id)).totals;
      return t.sent === 1 && Object.values(await recipients(p, id)).filter((r) => r.status === "deferred").length === 2;
    }, 15_000);
    expect((await results(id)).totals).toMatchObject({ audience: 3, sent: 1, pending: 2, skipped: {} });

    expect((await call(p, "POST", `/campaigns/${id}/cancel`, campaignSchema)).body.status).toBe("cancelled");
    const r = await recipients(p, id);
    expect([r["+254798000001"], r["+254798000002"]].map((x) => [x.status, x.reason, x.not_before])).toEqual([
      ["skipped", "campaign_cancelled", null],
      ["skipped", "campaign_cancelled", null],
    ]);
    expect(r["+254798000003"].status).toBe("sent");
    // audience 3 = sent 1 + skipped 2 (campaign_cancelled) + failed 0, pending 0.
    const after = await results(id);
    expect(after.status).toBe("cancelled");
    expect(after.totals).toMatchObject({ audience: 3, sent: 1, failed: 0, pending: 0, skipped: { campaign_cancelled: 2 } });
    expect(after.variants[0]).toMatchObject({ audience: 3, sent: 1, pending: 0, skipped: { campaign_cancelled: 2 } });
    // A cancelled campaign cannot be resumed into sending them.
    expect((await call(p, "POST", `/campaigns/${id}/resume`, campaignSchema)).status).toBe(409);
  });

  it("skips the recipients still pending in a paused campaign, and its run ends", async () => {
    await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, { ...NO_RULES, throughput_per_second: 1 });
    const seg = await segment(p, [{ type: "reachable", value: true }]);
    const id = await campaign(p, { segment_id: seg, template_id: await tpl() });
    await using instance = await introspectWorkflowInstance(env.CAMPAIGNS, id);
    expect((await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema)).status).toBe(202);
    await waitFor(async () => (await results(id)).totals.sent >= 1, 10_000);
    expect((await call(p, "POST", `/campaigns/${id}/pause`, campaignSchema)).status).toBe(200);
    expect(await instance.waitForStepResult({ name: "send 1" })).toMatchObject({ state: "paused" });
    const sent = (await results(id)).totals.sent;
    expect(sent).toBeLessThan(3);
    expect((await call(p, "POST", `/campaigns/${id}/cancel`, campaignSchema)).body.status).toBe("cancelled");
    // The cancel wakes the paused instance, which closes the campaign and ends.
    await instance.waitForStatus("complete");
    const after = await results(id);
    expect(after.totals).toMatchObject({ audience: 3, sent, failed: 0, pending: 0, skipped: { campaign_cancelled: 3 - sent } });
    expect(Object.values(await recipients(p, id)).filter((r) => r.status === "sent").length).toBe(sent);
  });
});

describe("campaign API validation", () => {
  let p: TestProject;
  let seg: string;
  let tpl: string;
  beforeAll(async () => {
    p = await campaignProject("camp-api", "twilio:+15550009003");
    seg = await segment(p, [{ type: "reachable", value: true }]);
    tpl = await template(p, { name: "api_check", twilio_content_sid: "HX" + "f".repeat(32) });
  });

  it("answers the default sending rules until the project sets its own", async () => {
    const r = await call(p, "GET", "/campaigns/settings", campaignSettingsSchema);
    expect(r.body).toMatchObject({
      quiet_hours: { start: "21:00", end: "08:00" },
      quiet_mode: "defer",
      frequency_cap: { max: 2, days: 7 },
      breaker_threshold: 3,
    });
  });

  it("refuses a campaign naming both a template and variants, unknown templates and segments", async () => {
    const both = await call(p, "POST", "/campaigns", campaignSchema, {
      name: "x",
      segment_id: seg,
      template_id: tpl,
      variants: [
        { name: "A", template_id: tpl },
        { name: "B", template_id: tpl },
      ],
    });
    expect([both.status, both.body.error, both.body.details[0].path]).toEqual([400, "invalid_campaign", "template_id"]);
    expect(both.body.details[0].message).toMatch(/^both template_id and variants given/);
    const neither = await call(p, "POST", "/campaigns", campaignSchema, { name: "x", segment_id: seg });
    expect([neither.status, neither.body.error, neither.body.details]).toEqual([
      400,
      "invalid_campaign",
      [{ path: "template_id", message: expect.stringMatching(/^neither template_id nor variants given/) }],
    ]);
    const twins = await call(p, "POST", "/campaigns", campaignSchema, {
      name: "x",
      segment_id: seg,
      variants: [
        { name: "A", template_id: tpl },
        { name: "A", template_id: tpl },
      ],
    });
    expect([twins.status, twins.body.details[0].path]).toEqual([400, "variants"]);
    expect((await call(p, "POST", "/campaigns", campaignSchema, { name: "x", segment_id: seg, template_id: "nope" })).body.error).toBe(
      "template_not_found",
    );
    expect((await call(p, "POST", "/campaigns", campaignSchema, { name: "x", segment_id: "nope", template_id: tpl })).body.error).toBe(
      "segment_not_found",
    );
    expect(
      (await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, { quiet_hours: { start: "25:00", end: "08:00" } })).body.error,
    ).toBe("invalid_campaign");
  });

  it("refuses to launch from a project without the named sender", async () => {
    const id = await campaign(p, { segment_id: seg, template_id: tpl, sender: "meta:999999999" });
    const r = await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema);
    expect([r.status, r.body.error, r.body.details[0].path]).toEqual([400, "invalid_campaign", "sender"]);
    expect((await call(p, "GET", `/campaigns/${id}`, campaignSchema)).body.status).toBe("draft");
  });
});

describe("campaign settings", () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await campaignProject("camp-settings", "twilio:+15550009004");
  });

  it("refuses an unknown default zone and quiet hours that start when they end, naming the field", async () => {
    const zone = await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, { default_timezone: "Nowhere/X" });
    expect([zone.status, zone.body.error, zone.body.details[0].path]).toEqual([400, "invalid_campaign", "default_timezone"]);
    expect(zone.body.message).toContain("IANA time zone");
    const equal = await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, { quiet_hours: { start: "08:00", end: "08:00" } });
    expect([equal.status, equal.body.error, equal.body.details[0].path]).toEqual([400, "invalid_campaign", "quiet_hours.end"]);
    expect(equal.body.message).toContain("start and end must differ");
  });

  it("stores a zone typed in another case under its canonical IANA name", async () => {
    const put = await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, { default_timezone: "europe/london" });
    expect([put.status, put.body.default_timezone]).toEqual([200, "Europe/London"]);
    expect((await call(p, "GET", "/campaigns/settings", campaignSettingsSchema)).body.default_timezone).toBe("Europe/London");
  });

  it("reads settings saved before these checks as they behaved: an unknown zone as UTC, equal quiet hours as none", async () => {
    await env.DB.prepare("INSERT OR REPLACE INTO campaign_settings (project_id, settings, updated_at) VALUES (?, ?, ?)")
      .bind(p.id, JSON.stringify({ default_timezone: "Nowhere/X", quiet_hours: { start: "08:00", end: "08:00" } }), Date.now())
      .run();
    const r = await call(p, "GET", "/campaigns/settings", campaignSettingsSchema);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ default_timezone: "UTC", quiet_hours: null });
  });
});
