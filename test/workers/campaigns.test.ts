import { env, introspectWorkflowInstance, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { campaignResultsSchema, campaignSchema, campaignSettingsSchema, personErasedSchema } from "../../workers/contract";
import { ADMIN, BASE, readJson, waitFor } from "./helpers";
import { ingest } from "./stats-fixture";
import {
  accepted,
  call,
  campaign,
  campaignProject,
  contacts,
  launchAndFinish,
  NO_RULES,
  recipients,
  replayStatuses,
  segment,
  standin,
  template,
  type TestProject,
} from "./campaigns-helpers";

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
    const tpl = await template(p, {
      name: "spring_offer",
      components: [
        {
          type: "body",
          variables: [
            { from: "trait", key: "name" },
            { from: "static", value: "20%" },
          ],
        },
      ],
    });
    const id = await campaign(p, { segment_id: seg, template_id: tpl });
    await launchAndFinish(p, id);

    const sent = await accepted(p.account);
    const mine = sent.filter((m) => m.biz_opaque_callback_data === `${id}:A`);
    expect(mine.map((m) => m.to).sort()).toEqual(["254711000001", "254711000002"]);
    const amina = mine.find((m) => m.to === "254711000001")!;
    expect(amina.request.template).toEqual({
      name: "spring_offer",
      language: { code: "en" },
      components: [
        {
          type: "body",
          parameters: [
            { type: "text", text: "Amina" },
            { type: "text", text: "20%" },
          ],
        },
      ],
    });

    const rs = await recipients(p, id);
    expect(rs["+254711000003"]).toMatchObject({ status: "skipped", reason: "missing_variable:name" });
    expect(rs["+254711000001"]).toMatchObject({ status: "sent", provider_message_id: amina.id, attempts: 1 });

    await waitFor(async () => {
      await replayStatuses(mine.map((m) => m.id));
      const r = await call(p, "GET", `/campaigns/${id}/results`, campaignResultsSchema);
      return r.body.totals.read === 2 ? r.body : null;
    }, 15_000);
    const r = (await call(p, "GET", `/campaigns/${id}/results`, campaignResultsSchema)).body;
    expect(r.totals).toMatchObject({
      audience: 3,
      skipped: { "missing_variable:name": 1 },
      sent: 2,
      delivered: 2,
      read: 2,
      failed: 0,
      pending: 0,
    });
    expect((await call(p, "GET", `/campaigns/${id}`, campaignSchema)).body.status).toBe("completed");

    // Erasing a person erases their campaign sends too.
    const erased = await SELF.fetch(`${BASE}/api/projects/${p.id}/people?external_id=${encodeURIComponent("+254711000001")}`, {
      method: "DELETE",
      headers: ADMIN,
    });
    expect((await readJson(erased, personErasedSchema)).erased.campaign_recipients).toBe(1);
    expect(Object.keys(await recipients(p, id)).sort()).toEqual(["+254711000002", "+254711000003"]);
  });
});

describe("sending rules", () => {
  let p: TestProject;
  let cohort = 0;
  beforeAll(async () => {
    p = await campaignProject("camp-rules", "meta:700100200300500");
  });

  /** A fresh cohort of contacts and its segment. */
  async function audience(rows: Parameters<typeof contacts>[1]): Promise<string> {
    const tag = `c${++cohort}`;
    await contacts(
      p,
      rows.map((r) => ({ ...r, traits: { ...r.traits, cohort: tag } })),
    );
    return segment(p, [{ type: "trait", trait: "cohort", op: "eq", value: tag }]);
  }
  const settings = (over: Record<string, unknown>) =>
    call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, { ...NO_RULES, ...over });

  it("sends MARKETING only to opted-in people and UTILITY to everyone not opted out", async () => {
    await settings({});
    const seg = await audience([
      { phone: "+254722000001", consent: "opted_in" },
      { phone: "+254722000002", consent: "opted_out" },
      { phone: "+254722000003", consent: null },
    ]);
    const marketing = await campaign(p, { segment_id: seg, template_id: await template(p, { name: "consent_marketing" }) });
    await launchAndFinish(p, marketing);
    const m = await recipients(p, marketing);
    expect([m["+254722000001"].status, m["+254722000002"].reason, m["+254722000003"].reason]).toEqual(["sent", "opted_out", "no_consent"]);

    const utility = await campaign(p, {
      segment_id: seg,
      template_id: await template(p, { name: "consent_utility", category: "UTILITY" }),
    });
    await launchAndFinish(p, utility);
    const u = await recipients(p, utility);
    expect([u["+254722000001"].status, u["+254722000002"].reason, u["+254722000003"].status]).toEqual(["sent", "opted_out", "sent"]);
  });

  it("caps MARKETING messages per person per window, across campaigns, and leaves UTILITY uncapped", async () => {
    await settings({ frequency_cap: { max: 1, days: 7 } });
    const first = await audience([
      { phone: "+254733000001", consent: "opted_in" },
      { phone: "+254733000002", consent: "opted_in" },
    ]);
    const id1 = await campaign(p, { segment_id: first, template_id: await template(p, { name: "cap_one" }) });
    await launchAndFinish(p, id1);
    // The second audience: both people of the first, and one more.
    await contacts(p, [{ phone: "+254733000003", consent: "opted_in", traits: { cohort: "cap2" } }]);
    await env.DB.prepare(
      "UPDATE contacts SET attributes = json_set(attributes, '$.cap2', 1) WHERE project_id = ? AND external_id IN ('+254733000001', '+254733000002', '+254733000003')",
    )
      .bind(p.id)
      .run();
    const second = await segment(p, [{ type: "trait", trait: "cap2", op: "exists" }]);
    const id2 = await campaign(p, { segment_id: second, template_id: await template(p, { name: "cap_two" }) });
    await launchAndFinish(p, id2);
    const r2 = await recipients(p, id2);
    expect([r2["+254733000001"].reason, r2["+254733000002"].reason, r2["+254733000003"].status]).toEqual([
      "frequency_cap",
      "frequency_cap",
      "sent",
    ]);
    const id3 = await campaign(p, { segment_id: second, template_id: await template(p, { name: "cap_utility", category: "UTILITY" }) });
    await launchAndFinish(p, id3);
    expect(Object.values(await recipients(p, id3)).map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
  });

  /** Quiet hours from an hour ago to an hour from now, UTC clock (HH:MM). */
  function quietAroundNow(now: number) {
    const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
    const minute = Math.floor(now / 60_000) * 60_000;
    return { window: { start: hhmm(minute - 3_600_000), end: hhmm(minute + 3_600_000) }, end: minute + 3_600_000 };
  }

  it("skips a recipient inside quiet hours in their own zone, with reason, in skip mode", async () => {
    const q = quietAroundNow(Date.now());
    await settings({ quiet_hours: q.window, quiet_mode: "skip" });
    // Etc/GMT-12 is UTC+12: twelve hours from the window, whatever the time.
    const seg = await audience([
      { phone: "+254744000001", consent: "opted_in", timezone: "UTC" },
      { phone: "+254744000002", consent: "opted_in", timezone: "Etc/GMT-12" },
    ]);
    const id = await campaign(p, { segment_id: seg, template_id: await template(p, { name: "quiet_skip" }) });
    await launchAndFinish(p, id);
    const r = await recipients(p, id);
    expect([r["+254744000001"].reason, r["+254744000002"].status]).toEqual(["quiet_hours", "sent"]);
  });

  it("defers a recipient inside quiet hours until they end in their zone, in defer mode", async () => {
    const q = quietAroundNow(Date.now());
    await settings({ quiet_hours: q.window, quiet_mode: "defer" });
    const seg = await audience([
      { phone: "+254755000001", consent: "opted_in", timezone: "UTC" },
      { phone: "+254755000002", consent: "opted_in", timezone: "Etc/GMT-12" },
    ]);
    const id = await campaign(p, { segment_id: seg, template_id: await template(p, { name: "quiet_defer" }) });
    expect((await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema)).status).toBe(202);
    const r = await waitFor(async () => {
      const rs = await recipients(p, id);
      return rs["+254755000001"].status === "deferred" && rs["+254755000002"].status === "sent" ? rs : null;
    }, 15_000);
    expect(r["+254755000001"]).toMatchObject({ reason: "quiet_hours", not_before: new Date(q.end).toISOString() });
    // Still running: the instance sleeps until the quiet hours end.
    expect((await call(p, "GET", `/campaigns/${id}`, campaignSchema)).body.status).toBe("running");
    const cancelled = await call(p, "POST", `/campaigns/${id}/cancel`, campaignSchema);
    expect([cancelled.status, cancelled.body.status]).toEqual([200, "cancelled"]);
  });

  it("sends to a user known only by their business-scoped user id (BSUID) and attributes its statuses", async () => {
    await settings({});
    const bsuid = "US.13491208655302741918";
    const seg = await audience([{ phone: bsuid, consent: "opted_in" }]);
    const id = await campaign(p, { segment_id: seg, template_id: await template(p, { name: "bsuid_check", category: "UTILITY" }) });
    await launchAndFinish(p, id);
    const sent = (await accepted(p.account)).filter((m) => m.biz_opaque_callback_data === `${id}:A`);
    expect(sent.map((m) => m.request.to)).toEqual([bsuid]);
    await waitFor(async () => {
      await replayStatuses(sent.map((m) => m.id));
      return (await call(p, "GET", `/campaigns/${id}/results`, campaignResultsSchema)).body.totals.read === 1;
    }, 15_000);
  });

  it("renders defaults and event properties, and skips a person missing a variable without a default", async () => {
    await settings({});
    const seg = await audience([
      { phone: "+254766000001", consent: "opted_in", name: "Amina" },
      { phone: "+254766000002", consent: "opted_in" },
    ]);
    const tpl = await template(p, {
      name: "render_check",
      components: [
        { type: "header", variables: [{ from: "trait", key: "name", default: "there" }] },
        {
          type: "body",
          variables: [
            { from: "trait", key: "plan" },
            { from: "event", event: "cart_viewed", property: "item" },
          ],
        },
      ],
    });
    await env.DB.prepare(
      "UPDATE contacts SET attributes = json_set(attributes, '$.plan', 'gold') WHERE project_id = ? AND external_id = '+254766000002'",
    )
      .bind(p.id)
      .run();
    // The latest cart_viewed counts.
    await ingest(p.id, [
      { name: "cart_viewed", ts: Date.now() - 120_000, channel: "whatsapp", ext: "+254766000002", props: { item: "hat" } },
      { name: "cart_viewed", ts: Date.now() - 60_000, channel: "whatsapp", ext: "+254766000002", props: { item: "shoes" } },
    ]);
    const id = await campaign(p, { segment_id: seg, template_id: tpl });
    await launchAndFinish(p, id);
    const r = await recipients(p, id);
    expect(r["+254766000001"]).toMatchObject({ status: "skipped", reason: "missing_variable:plan" });
    const sent = (await accepted(p.account)).find((m) => m.biz_opaque_callback_data === `${id}:A`)!;
    expect(sent.request.template?.components).toEqual([
      { type: "header", parameters: [{ type: "text", text: "there" }] },
      {
        type: "body",
        parameters: [
          { type: "text", text: "gold" },
          { type: "text", text: "shoes" },
        ],
      },
    ]);
  });
});

describe("provider failures and restarts", () => {
  let p: TestProject;
  let seg: string;
  let tpl: string;
  beforeAll(async () => {
    p = await campaignProject("camp-faults", "meta:700100200300600");
    // One provider call at a time (5/s), so failures come in a known order.
    await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, { ...NO_RULES, throughput_per_second: 5 });
    await contacts(
      p,
      ["+254777000001", "+254777000002", "+254777000003"].map((phone) => ({ phone, consent: "opted_in" as const })),
    );
    seg = await segment(p, [{ type: "reachable", value: true }]);
    tpl = await template(p, { name: "fault_check" });
  });

  const mine = async (id: string) => (await accepted(p.account)).filter((m) => m.biz_opaque_callback_data === `${id}:A`);

  it("retries a provider outage, opens the circuit breaker after 3 failures in a row, and resumes without sending anyone twice", async () => {
    await standin("/__control", { method: "POST", body: JSON.stringify({ fail_next: 3, status: 503, provider: "meta" }) });
    const id = await campaign(p, { segment_id: seg, template_id: tpl });
    await using instance = await introspectWorkflowInstance(env.CAMPAIGNS, id);
    await instance.modify(async (m) => m.disableRetryDelays());
    expect((await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema)).status).toBe(202);
    const paused = await waitFor(async () => {
      const c = (await call(p, "GET", `/campaigns/${id}`, campaignSchema)).body;
      return c.status === "paused" ? c : null;
    }, 15_000);
    expect(paused.pause_reason).toBe("circuit_open");
    const before = await recipients(p, id);
    // The first recipient (person_id order) was tried three times: the step's retries, each a 503 (Meta 131016).
    expect(before["+254777000001"]).toMatchObject({ status: "pending", attempts: 3, error_code: "131016" });
    expect(before["+254777000002"]).toMatchObject({ status: "pending", attempts: 0 });
    expect(await mine(id)).toEqual([]);

    const resumed = await call(p, "POST", `/campaigns/${id}/resume`, campaignSchema);
    expect([resumed.status, resumed.body.status]).toEqual([200, "running"]);
    await instance.waitForStatus("complete");
    const after = await recipients(p, id);
    expect(Object.values(after).map((r) => [r.status, r.attempts])).toEqual([
      ["sent", 4],
      ["sent", 1],
      ["sent", 1],
    ]);
    expect((await mine(id)).map((m) => m.to).sort()).toEqual(["254777000001", "254777000002", "254777000003"]);
  });

  it("records every failure of a wave of concurrent sends before the breaker pauses the campaign", async () => {
    // The breaker at 2, three calls refused while all three are in flight (slots 5 ms apart, answers
    // 300 ms late): the third failure is past the threshold and is still recorded.
    await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, { ...NO_RULES, throughput_per_second: 200, breaker_threshold: 2 });
    await standin("/__control", { method: "POST", body: JSON.stringify({ fail_next: 3, status: 503, provider: "meta", latency_ms: 300 }) });
    const id = await campaign(p, { segment_id: seg, template_id: tpl });
    await using instance = await introspectWorkflowInstance(env.CAMPAIGNS, id);
    expect((await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema)).status).toBe(202);
    expect(await instance.waitForStepResult({ name: "send 1" })).toMatchObject({ state: "paused" });
    expect(Object.values(await recipients(p, id)).map((r) => [r.status, r.attempts, r.error_code])).toEqual([
      ["pending", 1, "131016"],
      ["pending", 1, "131016"],
      ["pending", 1, "131016"],
    ]);
    await standin("/__control", { method: "POST", body: JSON.stringify({ latency_ms: 0 }) });
    expect((await call(p, "POST", `/campaigns/${id}/resume`, campaignSchema)).status).toBe(200);
    await instance.waitForStatus("complete");
    expect(Object.values(await recipients(p, id)).map((r) => [r.status, r.attempts])).toEqual([
      ["sent", 2],
      ["sent", 2],
      ["sent", 2],
    ]);
    expect((await mine(id)).length).toBe(3);
    await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, { ...NO_RULES, throughput_per_second: 5 });
  });

  it("dead-letters a recipient on a final provider error and counts it as failed by code", async () => {
    await standin("/__control", { method: "POST", body: JSON.stringify({ fail_next: 1, status: 404, code: 132001, provider: "meta" }) });
    const id = await campaign(p, { segment_id: seg, template_id: tpl });
    await launchAndFinish(p, id);
    const r = await recipients(p, id);
    expect(r["+254777000001"]).toMatchObject({ status: "dead", reason: "provider_error", error_code: "132001", attempts: 1 });
    const results = (await call(p, "GET", `/campaigns/${id}/results`, campaignResultsSchema)).body;
    expect(results.totals).toMatchObject({ audience: 3, sent: 2, failed: 1, failed_by_code: { "132001": 1 } });
  });

  it("sends nobody twice when the campaign's Workflow runs again from the start", async () => {
    const id = await campaign(p, { segment_id: seg, template_id: tpl });
    await launchAndFinish(p, id);
    expect((await mine(id)).length).toBe(3);
    // A campaign cannot be launched twice.
    expect((await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema)).status).toBe(409);
    // A fresh instance replays every step without any cached result (as after losing the instance).
    await env.DB.prepare("UPDATE campaigns SET status = 'running' WHERE id = ?").bind(id).run();
    const again = `${id}-again`;
    await using rerun = await introspectWorkflowInstance(env.CAMPAIGNS, again);
    await env.CAMPAIGNS.create({ id: again, params: { project_id: p.id, campaign_id: id } });
    await rerun.waitForStatus("complete");
    expect((await mine(id)).length).toBe(3);
    expect(Object.values(await recipients(p, id)).map((r) => r.attempts)).toEqual([1, 1, 1]);
  });

  it("never resends a send whose outcome was not recorded, and dead-letters it as outcome_unknown", async () => {
    const id = await campaign(p, { segment_id: seg, template_id: tpl });
    // As if a step had died between the provider call and its record: the row is claimed, no outcome.
    await env.DB.prepare(
      "INSERT INTO campaign_recipients (campaign_id, project_id, person_id, address, variant, status, attempts, updated_at) VALUES (?, ?, 'x:+254777000002', '+254777000002', 'A', 'sending', 1, ?)",
    )
      .bind(id, p.id, Date.now())
      .run();
    await launchAndFinish(p, id);
    const r = await recipients(p, id);
    expect(r["+254777000002"]).toMatchObject({ status: "dead", reason: "outcome_unknown", attempts: 1 });
    expect((await mine(id)).map((m) => m.to).sort()).toEqual(["254777000001", "254777000003"]);
    const results = (await call(p, "GET", `/campaigns/${id}/results`, campaignResultsSchema)).body;
    expect(results.totals).toMatchObject({ audience: 3, sent: 2, failed: 1, failed_by_code: { outcome_unknown: 1 } });
  });
});
