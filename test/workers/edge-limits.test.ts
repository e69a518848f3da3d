import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { captureResponseSchema, errorSchema, MAX_PATH_CHARS, MAX_PROPERTY_DEPTH, TIME_MIN } from "../../workers/contract";
import { batch, capture, countEvents, readAnswer, readJson, waitFor, webEvent } from "./helpers";
import { conversationStub } from "./conversation-helpers";
import { metaEnvelope, metaText, postCrm, postMeta, randomWaId, storedEvent } from "./webhooks-helpers";

const nest = (depth: number, arrays = false) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { d: v };
  return v;
};

describe("capture bounds every free-form value and time at the edge", () => {
  it("refuses an event whose properties nest past the limit, naming it, and stores its neighbours", async () => {
    const ok = webEvent({ properties: { deep: nest(MAX_PROPERTY_DEPTH - 1) } });
    const deepObject = webEvent({ properties: { deep: nest(MAX_PROPERTY_DEPTH) } });
    const deepArray = webEvent({ properties: { deep: nest(35, true) } });
    const res = await capture(batch([ok, deepObject, deepArray]));
    expect(res.status).toBe(202);
    const body = await readJson(res, captureResponseSchema);
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2]);
    for (const r of body.rejected) expect(r.error).toMatch(/deeper than 32 levels \(limit MAX_PROPERTY_DEPTH\)/);
    await waitFor(async () => (await countEvents("event_id = ?", ok.event_id)) === 1, 15_000);
    expect(await countEvents("event_id IN (?, ?)", deepObject.event_id, deepArray.event_id)).toBe(0);
  }, 30_000);

  it("answers a body nested thousands deep with a JSON 400, not a 5xx", async () => {
    for (const deep of [nest(5_000), nest(5_000, true)]) {
      const res = await capture(JSON.stringify(batch([webEvent({ properties: { deep } })])));
      expect(res.status).toBe(400);
      expect((await readJson(res, errorSchema)).error).toBe("value_too_deep");
    }
  }, 30_000);

  it("refuses times outside [2000-01-01, received + 1 day] per event, and a sent_at outside it for the batch", async () => {
    const good = webEvent();
    const year0 = webEvent({ timestamp: "0000-01-01T00:00:00Z" });
    const year1 = webEvent({ timestamp: "0001-06-01T00:00:00Z" });
    const future = webEvent({ timestamp: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    const res = await capture(batch([good, year0, year1, future]));
    const body = await readJson(res, captureResponseSchema);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(body.rejected[0].error).toMatch(/2000-01-01/);
    const far = await capture({ project: "demo", sent_at: "9999-12-31T00:00:00Z", events: [webEvent()] });
    expect(far.status).toBe(400);
    expect((await readJson(far, errorSchema)).error).toBe("invalid_batch");
    const row = await waitFor(
      () => env.DB.prepare("SELECT timestamp FROM events WHERE event_id = ?").bind(good.event_id).first<{ timestamp: number }>(),
      15_000,
    );
    expect(row.timestamp).toBeGreaterThanOrEqual(TIME_MIN);
  }, 30_000);

  it("cuts a long path and a long User-Agent to their columns instead of losing the event", async () => {
    const path = "/" + "%C3%A9".repeat(300); // 1,801 characters of path inside a 2,048-character URL
    const e = webEvent({ context: { page: { url: `https://tax.example${path}` } } });
    const res = await capture(batch([e]), { headers: { "user-agent": "Mozilla/5.0 " + "x".repeat(3_000) } });
    expect(res.status).toBe(202);
    const row = await waitFor(
      () => env.DB.prepare("SELECT path FROM events WHERE event_id = ?").bind(e.event_id).first<{ path: string }>(),
      15_000,
    );
    expect(row.path.length).toBe(MAX_PATH_CHARS);
    expect(path.startsWith(row.path)).toBe(true);
  }, 30_000);
});

describe("webhooks bound provider values and times", () => {
  it("answers a signed Meta delivery with a value nested thousands deep in pricing with a JSON 400, and stores nothing", async () => {
    const id = `wamid.deep-${crypto.randomUUID()}`;
    const status = {
      id,
      status: "sent",
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: randomWaId(),
      pricing: { billable: nest(3_000) },
    };
    const res = await postMeta(metaEnvelope({ statuses: [status] }));
    expect(res.status).toBe(400);
    expect((await readJson(res, errorSchema)).error).toBe("value_too_deep");
    const moderate = { ...status, id: id + "-m", pricing: { billable: nest(36) } };
    const res2 = await postMeta(metaEnvelope({ statuses: [moderate] }));
    expect(res2.status).toBe(400);
    expect(await readAnswer(res2, errorSchema)).toMatchObject({ error: "value_too_deep" });
    expect(await countEvents("event_id IN (?, ?)", `status:${id}:sent`, `status:${id}-m:sent`)).toBe(0);
  }, 30_000);

  it("clamps a far-future or non-safe-integer provider time to the receive time and flags it", async () => {
    const waId = randomWaId();
    const future = metaText(waId, "hola", { timestamp: 99999999999 }); // Unix seconds in the year 5138
    const huge = { ...metaText(waId, "again"), timestamp: 1e300 };
    const before = Date.now();
    const res = await postMeta(metaEnvelope({ messages: [future, huge] }));
    expect(res.status).toBe(200);
    for (const m of [future, huge]) {
      const row = await waitFor(() => storedEvent("msg:" + m.id), 15_000);
      expect(row.timestamp as number).toBeGreaterThanOrEqual(before);
      expect(row.timestamp as number).toBeLessThanOrEqual(Date.now());
      expect(row.properties.timestamp_clamped).toBe(true);
    }
  }, 30_000);

  it("keeps a contact's conversation moving after a CRM event claims year 9999", async () => {
    const phone = "+2547" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
    const first = crypto.randomUUID();
    const second = crypto.randomUUID();
    const res = await postCrm({ events: [{ id: first, type: "conversation_started", occurred_at: "9999-12-31T23:59:59Z", phone }] });
    expect(res.status).toBe(202);
    const row = await waitFor(() => storedEvent(`crm:demo:${first}`), 15_000);
    expect(row.timestamp as number).toBeLessThanOrEqual(Date.now());
    expect(row.properties.timestamp_clamped).toBe(true);
    const stub = conversationStub(row.conversation_id as string);
    // The idle alarm fires without throwing, and a later message still reaches the conversation.
    await runDurableObjectAlarm(stub);
    const next = await postCrm({
      events: [{ id: second, type: "agent_message", occurred_at: new Date().toISOString(), phone, agent_id: "agent-1", content_length: 3 }],
    });
    expect(next.status).toBe(202);
    await waitFor(() => storedEvent(`crm:demo:${second}`), 15_000);
    const summary = await waitFor(async () => {
      const s = await stub.summary();
      return s && s.last_event_at !== null && s.last_event_at >= (row.timestamp as number) && s.messages_out >= 1 ? s : null;
    }, 15_000);
    expect(summary.last_event_at).toBeLessThanOrEqual(Date.now());
  }, 30_000);
});
