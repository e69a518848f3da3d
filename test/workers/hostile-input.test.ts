import { env, SELF } from "cloudflare:test";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { errorSchema } from "../../workers/contract";
import { signSha256 } from "../../workers/webhooks/signatures";
import { BASE, capture, waitFor } from "./helpers";
import { metaEnvelope, postCrm, postMeta, postTwilio } from "./webhooks-helpers";

/**
 * Seeded fuzz over every public write surface: malformed JSON, wrong types, deep nesting, huge
 * strings, unicode edge cases, wrong content types, oversize bodies, extreme numbers and times.
 * Invariants: never a 5xx; every refusal is a JSON error envelope; nothing of a refused request is
 * stored; everything accepted is stored once the Queue drains. docs/reliability.md quotes the counts.
 */
const SEED = 4242;
const CASES = { capture: 150, meta: 60, crm: 60, twilio: 25, chatwoot: 25 };
const tried: Record<string, number> = {};

/** Event ids that must end stored, and ones that must never be. */
const mustStore = new Set<string>();
const mustNotStore = new Set<string>();

async function expectHonest(res: Response, what: string): Promise<unknown> {
  tried[what] = (tried[what] ?? 0) + 1;
  if (res.status >= 500) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  if (res.status >= 400) {
    expect(res.headers.get("content-type") ?? "").toMatch(/application\/json/);
    const body = await res.json();
    const parsed = errorSchema.safeParse(body);
    if (!parsed.success) throw new Error(`${what}: ${res.status} answer is not the error envelope: ${JSON.stringify(body).slice(0, 300)}`);
    return body;
  }
  return res.headers.get("content-type")?.includes("json") ? res.json() : res.text();
}

const NOW = Date.now();
const DAY = 86_400_000;
const nest = (depth: number, leaf: unknown, arrays: boolean) => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { d: v };
  return v;
};
const edgeString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "\u0000",
    "\ud800",
    "\udfff",
    "a\u202eb",
    "😀".repeat(10),
    "\uFEFF",
    "__proto__",
    "constructor",
    "'; DROP TABLE events; --",
    "%00",
    "\\u0000",
  ),
  fc.integer({ min: 1_000, max: 40_000 }).map((n) => "x".repeat(n)),
);
const extremeNumber = fc.oneof(fc.double(), fc.constantFrom(1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, -0, 2 ** 63));
const extremeTime = fc.oneof(
  fc.integer({ min: NOW - 30 * DAY, max: NOW }).map((t) => new Date(t).toISOString()),
  fc.constantFrom(
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "1970-01-01T00:00:00Z",
    "1999-12-31T23:59:59Z",
    "9999-12-31T23:59:59Z",
    "2026-13-45T99:99:99Z",
    "",
  ),
  fc.integer({ min: 2, max: 400 }).map((d) => new Date(NOW + d * DAY).toISOString()),
  extremeNumber,
);
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  edgeString,
  extremeNumber,
  fc.tuple(fc.integer({ min: 20, max: 5_000 }), fc.boolean()).map(([d, a]) => nest(d, 1, a)),
);

// ─── /capture ────────────────────────────────────────────────────────────────────────────────
const captureEvent = fc.record(
  {
    event_id: fc.oneof({ weight: 9, arbitrary: fc.uuid() }, { weight: 1, arbitrary: hostileValue }),
    event: fc.oneof({ weight: 8, arbitrary: fc.constantFrom("page_view", "signup", "fuzz.ok") }, { weight: 2, arbitrary: hostileValue }),
    timestamp: fc.oneof({ weight: 6, arbitrary: fc.constant(new Date(NOW - 1000).toISOString()) }, { weight: 4, arbitrary: extremeTime }),
    anonymous_id: fc.oneof({ weight: 8, arbitrary: fc.constant("anon-fuzz") }, { weight: 2, arbitrary: hostileValue }),
    session_id: fc.constant("sess-fuzz"),
    properties: fc.oneof(fc.dictionary(edgeString, hostileValue, { maxKeys: 4 }), hostileValue),
    context: fc.oneof(
      fc.record(
        {
          page: fc.record(
            { url: fc.oneof(fc.webUrl(), fc.constant(`https://x.example/${"%20".repeat(600)}`), edgeString), title: edgeString },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
      hostileValue,
    ),
  },
  { requiredKeys: ["event_id", "event", "timestamp", "anonymous_id", "session_id"] },
);

const captureBody = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        project: fc.constant("demo"),
        sent_at: fc.oneof({ weight: 8, arbitrary: fc.constant(new Date(NOW).toISOString()) }, { weight: 2, arbitrary: extremeTime }),
        events: fc.array(captureEvent, { minLength: 1, maxLength: 4 }),
      })
      .map((b) => ({ kind: "batch" as const, b })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        edgeString,
        fc.constantFrom("{", "[]", "null", '{"project":"demo","events":', "\u0000{}"),
        fc.integer({ min: 100, max: 20_000 }).map((n) => "[".repeat(n) + "]".repeat(n)),
        fc.constant("x".repeat(300_000)),
      )
      .map((s) => ({ kind: "raw" as const, s })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ project: hostileValue, sent_at: hostileValue, events: hostileValue })
      .map((b) => ({ kind: "batch" as const, b })),
  },
);
const contentType = fc.constantFrom(
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/json; charset=utf-16",
  "",
);

/** Ids of a batch's events, when they are strings (an event whose id is not one can never be stored under it). */
const idsOf = (b: unknown): (string | null)[] => {
  const events = (b as { events?: unknown })?.events;
  return Array.isArray(events)
    ? events.map((e) => (typeof (e as { event_id?: unknown })?.event_id === "string" ? (e as { event_id: string }).event_id : null))
    : [];
};

describe("hostile input never breaks the edge, and accepted means stored", () => {
  it(`fuzzes /capture (${CASES.capture} requests, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(captureBody, contentType, async (input, type) => {
        let body: string;
        try {
          body = input.kind === "raw" ? input.s : JSON.stringify(input.b);
        } catch {
          return; // a value too deep to serialize cannot be sent by anyone either
        }
        const res = await capture(body, { headers: type ? { "content-type": type } : { "content-type": "" } });
        const answer = (await expectHonest(res, "capture")) as { rejected?: { index: number }[] };
        const ids = input.kind === "batch" ? idsOf(input.b) : [];
        if (res.status === 202) {
          const refused = new Set(answer.rejected?.map((r) => r.index));
          ids.forEach((id, i) => id && (refused.has(i) ? mustNotStore : mustStore).add(id));
        } else for (const id of ids) if (id) mustNotStore.add(id);
      }),
      { seed: SEED, numRuns: CASES.capture },
    );
  }, 60_000);

  // ─── Meta ─────────────────────────────────────────────────────────────────────────────────
  it(`fuzzes signed Meta deliveries (${CASES.meta} requests, seed ${SEED})`, async () => {
    const message = fc.record({
      id: fc.uuid().map((u) => `wamid.fuzz-${u}`),
      timestamp: fc.oneof(
        fc.constant(String(Math.floor(NOW / 1000))),
        fc.constantFrom("0", "99999999999", "253402300799", "-1", "1e400"),
        extremeNumber,
        edgeString,
      ),
      type: fc.constantFrom("text", "image", "reaction", "interactive", "nope"),
      text: fc.record({ body: edgeString }),
      errors: fc.oneof(fc.constant(undefined), fc.array(fc.record({ code: hostileValue, title: hostileValue }), { maxLength: 2 })),
    });
    const status = fc.record({
      id: fc.uuid().map((u) => `wamid.fuzz-${u}`),
      status: fc.constantFrom("sent", "delivered", "read", "failed"),
      timestamp: fc.oneof(fc.constant(String(Math.floor(NOW / 1000))), extremeNumber, edgeString),
      recipient_id: fc.constant("14155550123"),
      pricing: fc.oneof(fc.constant(undefined), fc.record({ billable: hostileValue, category: hostileValue })),
      conversation: fc.oneof(
        fc.constant(undefined),
        fc.record({ id: edgeString, expiration_timestamp: fc.oneof(extremeNumber, edgeString) }),
      ),
    });
    const delivery = fc.oneof(
      {
        weight: 5,
        arbitrary: fc
          .record({ messages: fc.array(message, { maxLength: 3 }), statuses: fc.array(status, { maxLength: 3 }) })
          .map((v) => ({ v, raw: null as string | null })),
      },
      {
        weight: 1,
        arbitrary: fc
          .oneof(
            edgeString,
            fc
              .integer({ min: 30, max: 8_000 })
              .map((n) => `{"object":"whatsapp_business_account","entry":${"[".repeat(n)}${"]".repeat(n)}}`),
          )
          .map((raw) => ({ v: null, raw })),
      },
    );
    await fc.assert(
      fc.asyncProperty(delivery, async ({ v, raw }) => {
        const messages = (v?.messages ?? []).map((m) => ({ ...m, from: "14155550123" }));
        const body = raw ?? metaEnvelope({ contacts: [], messages, statuses: v?.statuses ?? [] });
        const res = await postMeta(body);
        await expectHonest(res, "meta");
        const ids = [...messages.map((m) => "msg:" + m.id), ...(v?.statuses ?? []).map((s) => `status:${s.id}:${s.status}`)];
        for (const id of ids) (res.status === 200 ? mustStore : mustNotStore).add(id);
      }),
      { seed: SEED, numRuns: CASES.meta },
    );
  }, 60_000);

  // ─── CRM ──────────────────────────────────────────────────────────────────────────────────
  it(`fuzzes signed CRM batches (${CASES.crm} requests, seed ${SEED})`, async () => {
    const event = fc.record(
      {
        id: fc.oneof({ weight: 9, arbitrary: fc.uuid() }, { weight: 1, arbitrary: hostileValue }),
        type: fc.oneof(
          { weight: 9, arbitrary: fc.constantFrom("conversation_started", "agent_message", "consent_changed", "handoff_requested") },
          { weight: 1, arbitrary: hostileValue },
        ),
        occurred_at: fc.oneof(
          { weight: 5, arbitrary: fc.constant(new Date(NOW - 5000).toISOString()) },
          { weight: 5, arbitrary: extremeTime },
        ),
        phone: fc.oneof({ weight: 9, arbitrary: fc.constant("+14155550123") }, { weight: 1, arbitrary: hostileValue }),
        consent: fc.constant("opted_in"),
        team: fc.oneof(fc.constant(undefined), hostileValue),
      },
      { requiredKeys: ["id", "type", "occurred_at", "phone"] },
    );
    const batch = fc.oneof(
      { weight: 5, arbitrary: fc.record({ project: fc.constant("demo"), events: fc.array(event, { minLength: 1, maxLength: 4 }) }) },
      { weight: 1, arbitrary: hostileValue },
    );
    await fc.assert(
      fc.asyncProperty(batch, async (b) => {
        let body: string;
        try {
          body = JSON.stringify(b) ?? "null";
        } catch {
          return;
        }
        const res = await postCrm(body);
        const answer = (await expectHonest(res, "crm")) as { rejected?: { index: number }[] };
        const events = (b as { events?: { id: unknown; type: unknown }[] })?.events ?? [];
        const refused = new Set(answer.rejected?.map((r) => r.index));
        events.forEach((e, i) => {
          // Only messages with a `crm:` id are traceable here (agent messages without message_id, other types).
          if (typeof e.id !== "string") return;
          const id = `crm:demo:${e.id}`;
          (res.status === 202 && !refused.has(i) ? mustStore : mustNotStore).add(id);
        });
      }),
      { seed: SEED, numRuns: CASES.crm },
    );
  }, 60_000);

  // ─── Twilio and Chatwoot ──────────────────────────────────────────────────────────────────
  it(`fuzzes signed Twilio and Chatwoot deliveries (${CASES.twilio + CASES.chatwoot} requests, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom("From", "To", "Body", "MessageSid", "MessageStatus", "NumMedia", "ErrorCode", "x"),
          fc.oneof(fc.constant("whatsapp:+14155550123"), edgeString),
        ),
        async (params) => {
          await expectHonest(await postTwilio("inbound", params), "twilio");
        },
      ),
      { seed: SEED, numRuns: CASES.twilio },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            event: fc.constantFrom("message_created", "conversation_status_changed"),
            account: fc.record({ id: fc.oneof(fc.integer(), hostileValue) }),
            id: hostileValue,
            created_at: extremeTime,
            content: edgeString,
            conversation: hostileValue,
          }),
          hostileValue,
        ),
        async (payload) => {
          let body: string;
          try {
            body = JSON.stringify(payload) ?? "null";
          } catch {
            return;
          }
          const ts = String(Math.floor(Date.now() / 1000));
          const signature = await signSha256(env.CHATWOOT_WEBHOOK_SECRET, new TextEncoder().encode(`${ts}.${body}`));
          const res = await SELF.fetch(`${BASE}/webhooks/chatwoot`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-chatwoot-timestamp": ts, "x-chatwoot-signature": signature },
            body,
          });
          await expectHonest(res, "chatwoot");
        },
      ),
      { seed: SEED, numRuns: CASES.chatwoot },
    );
  }, 60_000);

  it("stores everything accepted and nothing refused once the Queue drains", async () => {
    for (const id of mustStore) mustNotStore.delete(id); // a retried id accepted once must be stored
    const count = async (ids: Set<string>) =>
      (await env.DB.prepare("SELECT count(*) AS n FROM events WHERE event_id IN (SELECT value FROM json_each(?))")
        .bind(JSON.stringify([...ids]))
        .first<{ n: number }>())!.n;
    expect(mustStore.size).toBeGreaterThan(50);
    // Barrier: every accepted event is in D1 (the consumer may need a few batches).
    await waitFor(async () => (await count(mustStore)) === mustStore.size, 45_000).catch(async () => {
      throw new Error(`stored ${await count(mustStore)} of ${mustStore.size} accepted events`);
    });
    expect(await count(mustNotStore)).toBe(0);
  }, 60_000);

  afterAll(() => {
    const total = Object.values(tried).reduce((a, b) => a + b, 0);
    console.log(
      `hostile-input: ${total} requests tried (${JSON.stringify(tried)}), ${mustStore.size} events accepted and stored, ${mustNotStore.size} refused and absent`,
    );
  });
});
