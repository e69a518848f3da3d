import { env } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { captureMessage, type CaptureRequest } from "../../workers/capture/normalize";
import { inTimeWindow, MAX_PATH_CHARS, queueMessageSchema, TIME_MIN } from "../../workers/contract";
import { boundedMessage } from "../../workers/webhooks/delivery";
import { normalizeCrmEvent } from "../../workers/webhooks/crm-normalize";
import { crmEventSchema } from "../../workers/webhooks/crm-schema";
import { normalizeMetaChange } from "../../workers/webhooks/meta-normalize";

// Property: whatever passes the edge produces only messages the consumer's contract accepts, so an
// acknowledged event can never be dead-lettered for its shape. Seeded, so a failure reproduces.
const SEED = 20261202;
const RUNS = 300;
const NOW = Date.parse("2026-12-02T12:00:00Z");
const DAY = 86_400_000;

const text = (max: number) => fc.string({ unit: "binary", maxLength: max });
const time = fc.integer({ min: TIME_MIN, max: NOW + DAY });
const iso = time.map((t) => new Date(t).toISOString());
/** Free-form JSON that nests up to 40 levels: some of it is past the 32-level bound. */
const json = fc.jsonValue({ maxDepth: 6 });
const deep = fc.tuple(fc.integer({ min: 1, max: 40 }), json).map(([n, v]) => {
  let out: unknown = v;
  for (let i = 0; i < n; i++) out = i % 2 ? [out] : { k: out };
  return out;
});
const properties = fc.dictionary(text(20), fc.oneof(json, deep), { maxKeys: 8 });
const url = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  // A URL within its 2,048 characters whose (percent-encoded) path is longer than the 1,024-char column.
  fc.integer({ min: 300, max: 680 }).map((n) => `https://x.example/${"é".repeat(n)}`),
  text(2048),
);

const captureEvent = fc.record(
  {
    event_id: fc.uuid(),
    event: fc.stringMatching(/^[A-Za-z0-9_.:$-]{1,64}$/),
    timestamp: iso,
    anonymous_id: text(128).filter((s) => s.length > 0),
    session_id: text(128).filter((s) => s.length > 0),
    user_id: fc.option(
      text(128).filter((s) => s.length > 0),
      { nil: undefined },
    ),
    properties,
    context: fc.record(
      {
        page: fc.record({ url, referrer: text(2048), title: text(512) }, { requiredKeys: [] }),
        utm: fc.record({ source: text(256), gclid: text(512) }, { requiredKeys: [] }),
        locale: text(35),
        timezone: text(64),
        screen: text(32),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ["event_id", "event", "timestamp", "anonymous_id", "session_id"] },
);

const request = fc.record({
  sentAt: iso,
  userAgent: fc.option(text(4096), { nil: null }),
  botScore: fc.option(fc.double({ noNaN: true }), { nil: null }),
  verifiedBot: fc.option(fc.boolean(), { nil: null }),
  city: fc.option(text(300), { nil: null }),
});

describe("the edge only accepts what the consumer stores", () => {
  it(`every capture event the edge accepts passes the consumer's contract (${RUNS} batches, seed ${SEED})`, () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(captureEvent, { minLength: 1, maxLength: 5 }), request, (events, r) => {
        const req: CaptureRequest = {
          projectId: "demo",
          sentAt: r.sentAt,
          receivedAt: NOW,
          geo: { country: "KE", city: r.city, region: null, timezone: null, colo: "NBO", asn: 1 },
          userAgent: r.userAgent === null ? null : r.userAgent.slice(0, 1024),
          botScore: r.botScore,
          verifiedBot: r.verifiedBot,
        };
        for (const raw of events) {
          const built = captureMessage(raw, req);
          if ("error" in built) {
            refused++;
            expect(built.error).toMatch(/limit|timestamp|Invalid|Too/);
            continue;
          }
          accepted++;
          const parsed = queueMessageSchema.safeParse(built.message);
          if (!parsed.success) throw new Error(`accepted but not storable: ${parsed.error.message}`);
          if (built.message.kind !== "event") throw new Error("not an event");
          const e = built.message.event;
          expect(inTimeWindow(e.timestamp, NOW)).toBe(true);
          expect((e.path ?? "").length).toBeLessThanOrEqual(MAX_PATH_CHARS);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`edge-contract: capture events accepted ${accepted}, refused ${refused}`);
    // The generator is mostly edge-valid: the property is not vacuous.
    expect(accepted).toBeGreaterThan(refused);
  });

  // Provider times as they arrive: Unix seconds, ms, strings, year 0, year 9999, non-safe integers.
  const providerTime = fc.oneof(
    fc.integer({ min: Math.floor(TIME_MIN / 1000), max: Math.floor(NOW / 1000) }).map(String),
    fc.constantFrom("0", "1", "99999999999", "253402300799", "-5", "", "soon", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"),
    fc.double(),
    fc.constantFrom(1e300, Number.MAX_SAFE_INTEGER * 8, -1e20, 0),
  );

  it(`every Meta message and status the edge accepts passes the consumer's contract (${RUNS} changes, seed ${SEED})`, () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: text(40).filter((s) => s.length > 0),
            timestamp: providerTime,
            type: fc.constantFrom("text", "image", "interactive", "reaction", "weird"),
          }),
          { maxLength: 3 },
        ),
        fc.array(
          fc.record({
            id: text(40).filter((s) => s.length > 0),
            status: fc.constantFrom("sent", "delivered", "read", "failed"),
            timestamp: providerTime,
            pricing: json,
            errors: fc.array(fc.record({ code: json, title: json })),
          }),
          { maxLength: 3 },
        ),
        (messages, statuses) => {
          const value = {
            metadata: { phone_number_id: "123", display_phone_number: "15550001234" },
            contacts: [],
            messages: messages.map((m) => ({ ...m, from: "14155550123", text: { body: "hi" } })),
            statuses: statuses.map((s) => ({ ...s, recipient_id: "14155550123", pricing: { billable: s.pricing, category: s.pricing } })),
          };
          for (const raw of normalizeMetaChange(env, "demo", "waba", value, NOW)) {
            const b = boundedMessage(raw, NOW);
            if ("problem" in b) continue;
            accepted++;
            expect(queueMessageSchema.safeParse(b.message).success).toBe(true);
            if (b.message.kind === "event") expect(inTimeWindow(b.message.event.timestamp, NOW)).toBe(true);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS);
  });

  it(`every CRM event the edge accepts passes the consumer's contract, year 9999 included (${RUNS} events, seed ${SEED})`, () => {
    let clamped = 0;
    const occurred = fc.oneof(
      iso,
      fc.constantFrom("9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2026-12-04T00:00:00Z"),
    );
    fc.assert(
      fc.property(
        occurred,
        fc.constantFrom("message_received", "agent_message", "consent_changed", "conversation_resolved"),
        text(64),
        (occurred_at, type, id) => {
          const parsed = crmEventSchema.safeParse({
            id: id || "x",
            type,
            occurred_at,
            phone: "+14155550123",
            consent: "opted_out",
            content_length: 3,
          });
          if (!parsed.success) return;
          for (const raw of normalizeCrmEvent(env, "demo", "crm", parsed.data, NOW)) {
            const b = boundedMessage(raw, NOW);
            if ("problem" in b) throw new Error(`refused: ${b.problem.message}`);
            expect(queueMessageSchema.safeParse(b.message).success).toBe(true);
            if (b.message.kind === "event") {
              expect(inTimeWindow(b.message.event.timestamp, NOW)).toBe(true);
              if (b.message.event.properties?.timestamp_clamped) clamped++;
            }
            if (b.message.kind === "contact") expect(inTimeWindow(b.message.seen_at, NOW)).toBe(true);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(clamped).toBeGreaterThan(0);
  });
});
