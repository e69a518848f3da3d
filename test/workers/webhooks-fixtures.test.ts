import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { twilioStringToSign, verifyTwilio } from "../../workers/webhooks/signatures";
import { BASE, waitFor } from "./helpers";
import { deliveryRow, fixture, INDEX, storedEvent, type IndexEntry, type Row } from "./webhooks-helpers";

// How INDEX.json's normalized names map onto the stored event (the event contract in docs/architecture.md + properties).
// `null` marks content Junction deliberately does not store (captions, titles: message text;
// media urls: they expire): for those the test asserts the value appears nowhere in the row.
// A contact's `external_id` is its phone when known, else its BSUID (docs/whatsapp.md).
const phoneOf = (r: Row) => (typeof r.external_id === "string" && r.external_id.startsWith("+") ? r.external_id : null);
const CONTACT = {
  wa_id: (r: Row) => r.properties.wa_id ?? null,
  name: (r: Row) => r.properties.contact_name,
  phone: phoneOf,
  bsuid: (r: Row) => r.properties.bsuid,
  username: (r: Row) => r.properties.username,
  previous_bsuid: (r: Row) => r.properties.previous_bsuid,
};
const NESTED: Record<string, Record<string, ((r: Row) => unknown) | null>> = {
  contact: CONTACT,
  recipient: CONTACT,
  sender: { type: (r) => r.properties.sender_type, id: (r) => r.properties.agent_id, name: (r) => r.properties.agent_name },
  media: { id: (r) => r.properties.media_id, mime_type: (r) => r.properties.mime_type, sha256: null, url: null, caption: null },
  interactive: { type: (r) => r.properties.interactive_type, id: (r) => r.properties.interactive_id, title: null },
};
const TOP: Record<string, (r: Row) => unknown> = {
  event_name: (r) => r.event_name,
  idempotency_key: (r) => r.event_id,
  timestamp: (r) => new Date(r.timestamp as number).toISOString(),
  recipient_id: (r) => r.properties.wa_id,
  recipient_user_id: (r) => r.properties.recipient_user_id,
  // Meta's pricing conversation (a 24 h billing window), not Junction's conversation.
  conversation_id: (r) => r.properties.meta_conversation_id,
};

/** Asserts every key of an expected INDEX event against the stored row. */
function expectMatches(row: Row, expected: Record<string, unknown>) {
  const json = JSON.stringify(row);
  for (const [key, want] of Object.entries(expected)) {
    if (NESTED[key] && want && typeof want === "object") {
      for (const [sub, subWant] of Object.entries(want)) {
        const get = NESTED[key][sub];
        if (get === null) expect(json, `${key}.${sub} must not be stored`).not.toContain(String(subWant));
        else expect(String(get(row)), `${key}.${sub}`).toBe(String(subWant));
      }
      continue;
    }
    const got = TOP[key] ? TOP[key](row) : row.properties[key];
    // An absent property and an explicit null say the same: the provider sent nothing.
    if (want === null) expect(got ?? null, key).toBeNull();
    else expect(got, key).toEqual(want);
  }
}

async function send(entry: IndexEntry): Promise<Response> {
  const text = fixture(entry.file);
  if (entry.kind === "verification_get") {
    const f = JSON.parse(text) as { path?: string; query: Record<string, string> };
    return SELF.fetch(`${BASE}${f.path ?? "/webhooks/meta"}?${new URLSearchParams(f.query)}`);
  }
  const req = entry.request!;
  if (entry.provider === "twilio") {
    const f = JSON.parse(text) as { url: string; rawBody: string };
    return SELF.fetch(f.url, { method: "POST", headers: req.headers, body: f.rawBody });
  }
  return SELF.fetch(`${BASE}${req.path}`, { method: "POST", headers: req.headers, body: text });
}

const byFile = new Map(INDEX.map((e) => [e.file, e]));
const withRequest = INDEX.filter((e) => e.expect.reason !== "algorithm_vector_only");

describe("webhook fixtures (INDEX.json)", () => {
  it.each(withRequest.map((e) => [e.file, e] as const))("%s", async (_file, entry) => {
    const res = await send(entry);
    expect(res.status).toBe(entry.expect.http_status);
    if (entry.expect.response_body !== undefined) expect(await res.text()).toBe(entry.expect.response_body);
    if (entry.expect.response_content_type) expect(res.headers.get("content-type")).toContain(entry.expect.response_content_type);
    if (!entry.expect.accepted) {
      // Authentic but unparseable bodies get an audit row; unauthenticated ones get nothing.
      const ref = res.headers.get("x-junction-delivery");
      if (entry.expect.reason === "invalid_json")
        expect(await deliveryRow(ref!)).toMatchObject({ outcome: "invalid", http_status: 400, event_ids: "[]" });
      else expect(ref).toBeNull();
      return;
    }
    if (entry.kind !== "webhook_post") return;

    const audit = await deliveryRow(res.headers.get("x-junction-delivery")!);
    expect(audit).toMatchObject({ provider: entry.provider, http_status: entry.expect.http_status, verified: 1 });
    const produced = JSON.parse(audit.event_ids as string) as string[];
    // A duplicate's events are stored once: what is in D1 is the original delivery's event.
    const original = entry.expect.duplicate_of ? byFile.get(entry.expect.duplicate_of.replace(/^fixtures\//, ""))! : entry;
    const expected = original.expect.events;
    // Ordered subset: the expected ids appear in this order among the ids the delivery produced.
    const positions = expected.map((e) => produced.indexOf(e.idempotency_key as string));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const e of expected) {
      const row = await waitFor(() => storedEvent(e.idempotency_key as string));
      expectMatches(row, e);
      expect(row.channel_type).toBe("whatsapp");
    }
  });

  it("verifies Twilio's documented signature vector (token 12345)", async () => {
    const f = JSON.parse(fixture("twilio/twilio_doc_vector.json")) as {
      url: string;
      params: Record<string, string>;
      authToken: string;
      expectedSignature: string;
      stringToSign: string;
    };
    const params = [...new URLSearchParams(JSON.parse(fixture("twilio/twilio_doc_vector.json")).rawBody as string)];
    expect(twilioStringToSign(f.url, params)).toBe(f.stringToSign);
    expect(await verifyTwilio(f.authToken, [f.url], params, f.expectedSignature)).toBe(true);
    expect(await verifyTwilio("54321", [f.url], params, f.expectedSignature)).toBe(false);
    expect(await verifyTwilio(f.authToken, [f.url + "&baz=3"], params, f.expectedSignature)).toBe(false);
  });

  it("stores nothing for signature failures", async () => {
    const rejected = INDEX.filter((e) => e.kind === "webhook_post" && !e.expect.accepted && e.expect.reason !== "invalid_json");
    expect(rejected.length).toBeGreaterThanOrEqual(3);
    for (const entry of rejected) expect((await send(entry)).status).toBe(entry.expect.http_status);
    // A valid delivery sent after them is the barrier: once it is stored, the queue has drained past them.
    const barrier = await send(byFile.get("meta/meta_status_read.json")!);
    await deliveryRow(barrier.headers.get("x-junction-delivery")!);
    for (const id of [
      "wamid.HBgLMTQxNTU1NTAxMjMVAgASGBQ1RjYzM0YwNTIwRjRDODEyRkRGNgA=",
      "wamid.HBgLMTQxNTU1NTAxMjMVAgASGBQ1MEJGRDc1OUYwNDg3MTAzNjIwNwA=",
      "SM3f78c474bf05cf8d78dbaf8fd327b233",
    ]) {
      expect(await storedEvent("msg:" + id)).toBeNull();
    }
    const forged = await env.DB.prepare("SELECT count(*) AS n FROM webhook_deliveries, json_each(event_ids) j WHERE j.value IN (?, ?)")
      .bind("msg:SM3f78c474bf05cf8d78dbaf8fd327b233", "msg:wamid.HBgLMTQxNTU1NTAxMjMVAgASGBQ1RjYzM0YwNTIwRjRDODEyRkRGNgA=")
      .first<{ n: number }>();
    expect(forged!.n).toBe(0);
  });

  it("keeps a retried Meta delivery as one message", async () => {
    for (const f of ["meta/meta_duplicate_first.json", "meta/meta_duplicate_retry.json"])
      expect((await send(byFile.get(f)!)).status).toBe(200);
    const wamid = "wamid.HBgMNTUxMTg3NjU0MzIxFQIAEhgUOUJFM0Y3MzAwRkE2MEVBNTRCREQA";
    const count = () =>
      env.DB.prepare(
        "SELECT count(*) AS n FROM events WHERE event_name = 'message_received' AND json_extract(properties, '$.provider_message_id') = ?",
      )
        .bind(wamid)
        .first<{ n: number }>();
    await waitFor(async () => (await count())!.n > 0);
    const audits = await env.DB.prepare("SELECT count(*) AS n FROM webhook_deliveries, json_each(event_ids) j WHERE j.value = ?")
      .bind("msg:" + wamid)
      .first<{ n: number }>();
    expect(audits!.n).toBeGreaterThanOrEqual(2);
    expect((await count())!.n).toBe(1);
  });

  it("stores no message text anywhere in D1", async () => {
    for (const e of withRequest) await send(e);
    const barrier = await send(byFile.get("meta/meta_status_sent.json")!);
    await deliveryRow(barrier.headers.get("x-junction-delivery")!);
    await waitFor(() => storedEvent("chatwoot:msg:1:9001"));
    const texts = [
      "Is my order #A-1042",
      "Damaged box",
      "Duplicate test: hello?",
      "ships tomorrow",
      "Yes, confirm",
      "transfer $5000",
      "no signature here",
      "forged",
    ];
    for (const table of ["events", "webhook_deliveries", "contacts", "dead_letters"]) {
      const { results } = await env.DB.prepare(`SELECT * FROM ${table}`).all();
      if (table === "events" || table === "webhook_deliveries") expect(results.length).toBeGreaterThan(0);
      const dump = JSON.stringify(results);
      for (const t of texts) expect(dump, `${table} holds "${t}"`).not.toContain(t);
    }
  });
});
