import { env, introspectWorkflowInstance } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { campaignRecipientsSchema, campaignResultsSchema, campaignSchema, campaignSettingsSchema } from "../../workers/contract";
import { twoProportion } from "../../workers/campaigns/stats";
import { linkStatements } from "../../workers/lib/person";
import { waitFor } from "./helpers";
import { ingest } from "./stats-fixture";
import { postTwilio } from "./webhooks-helpers";
import {
  accepted,
  call,
  campaign,
  campaignProject,
  contacts,
  replayStatuses,
  segment,
  standin,
  template,
  type TestProject,
} from "./campaigns-helpers";

/**
 * Results of an A/B campaign sent through Twilio, against a hand-built audience. Variants are
 * assigned by a hash of (campaign, person), so the test reads each person's variant and adds up
 * the table below per variant by hand. Goal: `purchase` within 2 days of the send.
 *
 * | person | what happens                                                   | counts as            |
 * | P1     | web id linked before launch; web purchase after the send       | conversion           |
 * | P2     | WhatsApp purchase event after the send                          | conversion           |
 * | P3     | web id linked after the send; web purchase after the send       | conversion           |
 * | P4     | purchase only before the send                                   | —                    |
 * | P5     | purchase 3 days after its send (its send moved back 3 days)     | —                    |
 * | P6     | writes back ("thanks")                                          | reply                |
 * | P7     | writes STOP                                                     | reply, opt-out       |
 * | P8     | accepted, then failed (63024)                                   | failed, not delivered|
 * | P9     | opted out before launch                                          | skipped: opted_out   |
 */
const BUSINESS = "+15550009001";
const phone = (i: number) => `+25478800000${i}`;
const P = Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => [`P${i}`, phone(i)])) as Record<string, string>;
const COST = 0.05;
const DAY = 86_400_000;

let p: TestProject;

beforeAll(async () => {
  p = await campaignProject("camp-results", `twilio:${BUSINESS}`);
  await call(p, "PUT", "/campaigns/settings", campaignSettingsSchema, {
    quiet_hours: null,
    frequency_cap: null,
    throughput_per_second: 200,
  });
  await contacts(
    p,
    Object.entries(P).map(([k, ph]) => ({
      phone: ph,
      consent: k === "P9" ? ("opted_out" as const) : ("opted_in" as const),
      traits: { cohort: "ab" },
    })),
  );
  await env.DB.batch(
    linkStatements(env.DB, p.id, { kind: "anonymous_id", value: "anon-p1" }, { kind: "external_id", value: P.P1! }, Date.now() - DAY),
  );
  await ingest(p.id, [{ name: "purchase", ts: Date.now() - DAY, anon: "anon-p4", session: "s4" }]);
  await env.DB.batch(
    linkStatements(env.DB, p.id, { kind: "anonymous_id", value: "anon-p4" }, { kind: "external_id", value: P.P4! }, Date.now() - DAY),
  );
}, 60_000);

describe("campaign results per variant", () => {
  it("attributes statuses, replies, opt-outs and conversions to each variant, with costs and a z-test", async () => {
    const seg = await segment(p, [{ type: "trait", trait: "cohort", op: "eq", value: "ab" }]);
    const sid = (n: string) => "HX" + n.repeat(32);
    const a = await template(p, {
      name: "ab_a",
      twilio_content_sid: sid("a"),
      components: [{ type: "body", variables: [{ from: "static", value: "10%" }] }],
    });
    const b = await template(p, {
      name: "ab_b",
      twilio_content_sid: sid("b"),
      components: [{ type: "body", variables: [{ from: "static", value: "15%" }] }],
    });
    const id = await campaign(p, {
      segment_id: seg,
      variants: [
        { name: "A", template_id: a, weight: 1 },
        { name: "B", template_id: b, weight: 1 },
      ],
      goal: { event: "purchase", days: 2 },
      cost_per_message: COST,
    });
    await standin("/__control", { method: "POST", body: JSON.stringify({ recipient_errors: { [P.P8!]: 63024 } }) });
    await using instance = await introspectWorkflowInstance(env.CAMPAIGNS, id);
    expect((await call(p, "POST", `/campaigns/${id}/launch`, campaignSchema)).status).toBe(202);
    await instance.waitForStatus("complete");

    const rows = (await call(p, "GET", `/campaigns/${id}/recipients`, campaignRecipientsSchema)).body.recipients as {
      address: string;
      variant: string;
      provider_message_id: string | null;
    }[];
    const variantOf = Object.fromEntries(rows.map((r) => [r.address, r.variant]));
    // Twilio got the variant's Content SID and its variables, numbered.
    const sent = await accepted(p.account);
    const toP1 = sent.find((m) => m.request.To === `whatsapp:${P.P1}`)!;
    expect(toP1.request.ContentSid).toBe(variantOf[P.P1!] === "A" ? sid("a") : sid("b"));
    expect(toP1.request.StatusCallback).toBe(`${env.PUBLIC_BASE_URL}/webhooks/twilio/status`);
    expect(JSON.parse(toP1.request.ContentVariables ?? "null")).toEqual({ "1": variantOf[P.P1!] === "A" ? "10%" : "15%" });

    // What happened after the sends.
    const ids = rows.flatMap((r) => (r.provider_message_id ? [r.provider_message_id] : []));
    await waitFor(async () => {
      await replayStatuses(ids);
      const t = (await call(p, "GET", `/campaigns/${id}/results`, campaignResultsSchema)).body.totals;
      return t.read === 7 && t.failed === 1;
    }, 20_000);
    await env.DB.prepare("UPDATE campaign_recipients SET sent_at = sent_at - ? WHERE campaign_id = ? AND address = ?")
      .bind(3 * DAY, id, P.P5)
      .run();
    await env.DB.batch(
      linkStatements(env.DB, p.id, { kind: "anonymous_id", value: "anon-p3" }, { kind: "external_id", value: P.P3! }, Date.now()),
    );
    await ingest(p.id, [
      { name: "purchase", ts: Date.now(), anon: "anon-p1", session: "s1" },
      { name: "purchase", ts: Date.now(), channel: "whatsapp", ext: P.P2 },
      { name: "purchase", ts: Date.now(), anon: "anon-p3", session: "s3" },
      { name: "purchase", ts: Date.now(), channel: "whatsapp", ext: P.P5 },
    ]);
    for (const [who, body] of [
      ["P6", "thanks"],
      ["P7", "STOP"],
    ] as const) {
      const msg = {
        MessageSid: `SM${who}${crypto.randomUUID().replace(/-/g, "").slice(0, 30)}`,
        From: `whatsapp:${P[who]}`,
        To: `whatsapp:${BUSINESS}`,
        Body: body,
        NumMedia: "0",
      };
      expect((await postTwilio("inbound", msg)).status).toBe(200);
    }
    const r = await waitFor(async () => {
      const res = (await call(p, "GET", `/campaigns/${id}/results`, campaignResultsSchema)).body;
      return res.totals.replies === 2 && res.totals.opt_outs === 1 && res.totals.conversions === 3 ? res : null;
    }, 20_000);

    // The table, added up by hand per variant.
    const inV = (v: string, people: string[]) => people.filter((k) => variantOf[P[k]!] === v).length;
    const all = Object.keys(P);
    const sentPeople = all.filter((k) => k !== "P9");
    for (const v of ["A", "B"]) {
      const nSent = inV(v, sentPeople);
      const conversions = inV(v, ["P1", "P2", "P3"]);
      const cost = Math.round(COST * nSent * 10_000) / 10_000;
      const got = r.variants.find((x: { name: string }) => x.name === v);
      expect(got, v).toMatchObject({
        audience: inV(v, all),
        skipped: inV(v, ["P9"]) ? { opted_out: 1 } : {},
        sent: nSent,
        delivered: nSent - inV(v, ["P8"]),
        read: nSent - inV(v, ["P8"]),
        failed: inV(v, ["P8"]),
        failed_by_code: inV(v, ["P8"]) ? { "63024": 1 } : {},
        replies: inV(v, ["P6", "P7"]),
        opt_outs: inV(v, ["P7"]),
        conversions,
        conversion_rate: nSent ? Math.round((conversions / nSent) * 10_000) / 10_000 : null,
        cost,
        cost_per_conversion: conversions ? Math.round((cost / conversions) * 10_000) / 10_000 : null,
      });
    }
    expect(r.totals).toMatchObject({
      audience: 9,
      skipped: { opted_out: 1 },
      sent: 8,
      delivered: 7,
      read: 7,
      failed: 1,
      replies: 2,
      opt_outs: 1,
      conversions: 3,
      cost: 0.4,
      cost_per_conversion: 0.1333,
    });
    const [A, B] = [r.variants[0], r.variants[1]];
    expect(r.comparisons).toEqual([{ variant: "B", against: "A", ...twoProportion(A, B) }]);
    if (A.sent && B.sent) expect(r.comparisons[0].difference).toBeCloseTo(B.conversions / B.sent - A.conversions / A.sent, 6);
    await standin("/__control", { method: "POST", body: JSON.stringify({ recipient_errors: { [P.P8!]: null } }) });
  });
});

describe("two-proportion z-test", () => {
  // Hand-computed: 10/100 vs 20/100 → pooled 0.15, se = √(0.15·0.85·0.02) = 0.0504975, z = 1.9803, p = 0.047670.
  it("gives the pooled z and two-sided p-value", () => {
    expect(twoProportion({ conversions: 10, sent: 100 }, { conversions: 20, sent: 100 })).toEqual({
      difference: 0.1,
      z: 1.9803,
      p_value: 0.04767,
    });
  });
  // 30/200 vs 30/200: no difference → z 0, p 1.
  it("gives p = 1 for equal rates and nulls for an empty group", () => {
    expect(twoProportion({ conversions: 30, sent: 200 }, { conversions: 30, sent: 200 })).toEqual({ difference: 0, z: 0, p_value: 1 });
    expect(twoProportion({ conversions: 0, sent: 0 }, { conversions: 3, sent: 10 })).toEqual({ difference: null, z: null, p_value: null });
  });
});
