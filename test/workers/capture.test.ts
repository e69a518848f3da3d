import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, batch, capture, countEvents, readJson, waitFor, webEvent } from "./helpers";
import { captureResponseSchema, errorSchema, healthSchema } from "../../workers/contract";

describe("POST /capture", () => {
  it("stores a valid batch in D1 with geo and the parsed user agent", async () => {
    const anon = "anon-" + crypto.randomUUID();
    const events = [
      webEvent({ anonymous_id: anon }),
      webEvent({ anonymous_id: anon, event: "form_started", properties: { journey: "MRI" } }),
    ];
    const res = await capture(batch(events), {
      cf: { country: "KE", region: "Nairobi County", city: "Nairobi", timezone: "Africa/Nairobi", colo: "NBO", asn: 33771 },
    });
    expect(res.status).toBe(202);
    expect(await readJson(res, captureResponseSchema)).toEqual({ accepted: 2, rejected: [] });

    await waitFor(async () => (await countEvents("anonymous_id = ?", anon)) === 2);
    const row = await env.DB.prepare("SELECT * FROM events WHERE event_id = ?").bind(events[1].event_id).first<Record<string, unknown>>();
    expect(row).toMatchObject({
      project_id: "demo",
      event_name: "form_started",
      channel_type: "web",
      country: "KE",
      region: "Nairobi County",
      city: "Nairobi",
      colo: "NBO",
      asn: 33771,
      browser: "Chrome",
      os: "Windows",
      device_type: "desktop",
      is_bot: 0,
      path: "/returns/mri",
      referrer: "https://google.com/",
    });
    expect(JSON.parse(row!.properties as string)).toEqual({ journey: "MRI" });
  });

  it("accepts text/plain bodies, as sendBeacon sends them", async () => {
    const e = webEvent();
    const res = await capture(JSON.stringify(batch([e])), { headers: { "content-type": "text/plain;charset=UTF-8" } });
    expect(res.status).toBe(202);
    await waitFor(() => countEvents("event_id = ?", e.event_id));
  });

  it("accepts the valid events of a batch and names each rejected one", async () => {
    const good = webEvent();
    const res = await capture(batch([good, { ...webEvent(), event_id: "nope" }, { ...webEvent(), event: "" }]));
    expect(res.status).toBe(202);
    const body = await readJson(res, captureResponseSchema);
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(body.rejected[0].error).toMatch(/event_id/);
    expect(body.rejected[1].error).toMatch(/event/);
  });

  it.each([
    ["not JSON", "{oops", /not valid JSON/],
    ["no events", batch([]), /at least 1/],
    ["101 events", batch(Array.from({ length: 101 }, () => webEvent())), /at most 100/],
    ["no sent_at", { project: "demo", events: [webEvent()] }, /sent_at/],
    ["only invalid events", batch([{ event: "x" }]), /no event in the batch is valid/],
    ["a bad timestamp", batch([webEvent({ timestamp: "yesterday" })]), /no event/],
  ])("answers 400 with a readable error for %s", async (_name, body, message) => {
    const res = await capture(body);
    expect(res.status).toBe(400);
    const json = await readJson(res, errorSchema);
    expect(json.message).toMatch(message);
  });

  it("rejects an event over 32 KB of JSON and keeps the rest of its batch", async () => {
    const res = await capture(batch([webEvent(), webEvent({ properties: { pad: "x".repeat(40_000) } })]));
    expect(res.status).toBe(202);
    expect(await readJson(res, captureResponseSchema)).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, error: expect.stringMatching(/exceeds 32768 bytes/) }],
    });
  });

  it("answers 413 for a body over 256 KB", async () => {
    const res = await capture(batch([webEvent({ properties: { pad: "x".repeat(300_000) } })]));
    expect(res.status).toBe(413);
    expect(await readJson(res, errorSchema)).toMatchObject({ error: "payload_too_large" });
  });

  it("answers 403 for an unknown project", async () => {
    const res = await capture(batch([webEvent()], "no-such-project"));
    expect(res.status).toBe(403);
    expect(await readJson(res, errorSchema)).toMatchObject({ error: "unknown_capture_project" });
  });

  it("answers 403 for an origin outside the project's allow-list", async () => {
    await env.DB.prepare(
      "INSERT OR REPLACE INTO projects (id, name, allowed_origins) VALUES ('strict', 'Strict', '[\"https://tax.example\"]')",
    ).run();
    const ok = await capture(batch([webEvent()], "strict"), { headers: { origin: "https://tax.example" } });
    expect(ok.status).toBe(202);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://tax.example");
    const bad = await capture(batch([webEvent()], "strict"), { headers: { origin: "https://evil.example" } });
    expect(bad.status).toBe(403);
    expect(await readJson(bad, errorSchema)).toMatchObject({ error: "origin_not_allowed" });
  });

  it("answers a CORS preflight", async () => {
    const res = await SELF.fetch(`${BASE}/capture`, {
      method: "OPTIONS",
      headers: { origin: "https://tax.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://tax.example");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("answers 429 with Retry-After once a client exceeds the limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await capture(batch([webEvent()]), { ip: "192.0.2.77" })).status);
    expect(statuses.slice(0, 20).every((s) => s === 202)).toBe(true);
    const res = await capture(batch([webEvent()]), { ip: "192.0.2.77" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    // Another client is unaffected.
    expect((await capture(batch([webEvent()]), { ip: "192.0.2.78" })).status).toBe(202);
  });

  it("stores the same batch sent twice only once", async () => {
    const events = [webEvent(), webEvent()];
    const body = batch(events);
    expect((await capture(body)).status).toBe(202);
    await waitFor(async () => (await countEvents("event_id IN (?, ?)", events[0].event_id, events[1].event_id)) === 2, 15_000);
    // The resend carries a barrier event in the same request (one Queue send): once the barrier is
    // stored, the resent events have been consumed too, and they must not have added a row.
    const barrier = webEvent();
    expect((await capture({ ...body, events: [...events, barrier] })).status).toBe(202);
    await waitFor(async () => (await countEvents("event_id = ?", barrier.event_id)) === 1, 15_000);
    expect(await countEvents("event_id IN (?, ?)", events[0].event_id, events[1].event_id)).toBe(2);
  });

  it("corrects client clock skew from sent_at and never stores a raw IP", async () => {
    const e = webEvent({ timestamp: new Date(Date.now() + 3_600_000 - 5_000).toISOString() });
    // The client's clock runs one hour fast; its event happened 5 s before sending.
    await capture({ project: "demo", sent_at: new Date(Date.now() + 3_600_000).toISOString(), events: [e] }, { ip: "198.51.100.42" });
    const row = await waitFor(() =>
      env.DB.prepare("SELECT * FROM events WHERE event_id = ?").bind(e.event_id).first<Record<string, unknown>>(),
    );
    expect(Math.abs((row.timestamp as number) - (Date.now() - 5_000))).toBeLessThan(3_000);
    expect(JSON.stringify(row)).not.toContain("198.51.100.42");
  });

  it("flags bots by user agent", async () => {
    const e = webEvent();
    await capture(batch([e]), { headers: { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" } });
    const row = await waitFor(() =>
      env.DB.prepare("SELECT is_bot FROM events WHERE event_id = ?").bind(e.event_id).first<{ is_bot: number }>(),
    );
    expect(row.is_bot).toBe(1);
  });
});

describe("GET /health", () => {
  it("answers ok", async () => {
    const res = await SELF.fetch(`${BASE}/health`);
    expect(await readJson(res, healthSchema)).toEqual({ ok: true });
  });
});
