// WhatsApp: acknowledgement latency of a signed Meta batch vs /capture in the same run, and
// ConversationDO transitions per second for one hot conversation.
import { createHmac, randomUUID } from "node:crypto";
import { load, median, record, round, startBenchStack } from "./lib.mjs";
import { sdkBatch } from "./capture.mjs";
import { startMiniflare } from "./miniflare.mjs";

/** A Meta Cloud API delivery of inbound texts: the ith message from `contacts[i % contacts.length]`. */
export function metaDelivery(wamids, contacts, phoneNumberId = "112233445566778") {
  const ts = String(Math.floor(Date.now() / 1000));
  const messages = wamids.map((id, i) => ({
    from: contacts[i % contacts.length],
    id,
    timestamp: ts,
    type: "text",
    text: { body: "Habari, nataka kufile MRI return yangu" },
  }));
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "109876543210987",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550001234", phone_number_id: phoneNumberId },
              contacts: contacts.map((wa_id) => ({ profile: { name: "Bench" }, wa_id })),
              messages,
            },
          },
        ],
      },
    ],
  });
}

/** A Meta Cloud API delivery with `n` inbound text messages from different contacts. */
function metaBatch(n) {
  const contacts = Array.from({ length: n }, (_, i) => `2547000${String(i).padStart(5, "0")}`);
  return metaDelivery(
    Array.from({ length: n }, () => `wamid.bench${randomUUID()}`),
    contacts,
  );
}

export async function benchWebhookAck({ rounds = 3, duration = 6, connections = 16 } = {}) {
  // Consumers detached, as for capture: the acknowledgement is the edge's work (see bench/lib.mjs).
  const stack = await startBenchStack(8791, "webhooks", { consumer: false });
  const meta = metaBatch(10);
  const signature = "sha256=" + createHmac("sha256", "test_app_secret_123").update(meta).digest("hex");
  const capture = JSON.stringify(sdkBatch("demo", 10));
  const m = [],
    c = [];
  try {
    await load({
      url: `${stack.url}/webhooks/meta`,
      body: meta,
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      duration: 2,
      connections,
    });
    await load({ url: `${stack.url}/capture`, body: capture, headers: { "content-type": "text/plain" }, duration: 2, connections });
    for (let i = 0; i < rounds; i++) {
      m.push(
        await load({
          url: `${stack.url}/webhooks/meta`,
          body: meta,
          headers: { "content-type": "application/json", "x-hub-signature-256": signature },
          duration,
          connections,
        }),
      );
      c.push(await load({ url: `${stack.url}/capture`, body: capture, headers: { "content-type": "text/plain" }, duration, connections }));
      console.log(`  round ${i + 1}: meta p50 ${m.at(-1).p50} ms, capture p50 ${c.at(-1).p50} ms`);
    }
  } finally {
    stack.stop();
  }
  const med = (runs, k) => median(runs.map((r) => r[k]));
  const result = {
    command: "npm run bench -- webhooks",
    messages_per_delivery: 10,
    events_per_capture: 10,
    connections,
    rounds,
    meta: { p50_ms: med(m, "p50"), p99_ms: med(m, "p99"), rps: round(med(m, "rps")), non2xx: m.reduce((s, r) => s + r.non2xx, 0) },
    capture: { p50_ms: med(c, "p50"), p99_ms: med(c, "p99"), rps: round(med(c, "rps")), non2xx: c.reduce((s, r) => s + r.non2xx, 0) },
  };
  result.p50_ratio = round(result.meta.p50_ms / result.capture.p50_ms, 2);
  result.p99_ratio = round(result.meta.p99_ms / result.capture.p99_ms, 2);
  record("webhooks", result);
  return result;
}

/**
 * One hot conversation: events applied to its Durable Object one RPC each, 16 in flight (the object
 * serializes them), side by side with the same number of read-only `summary()` RPCs to the same object,
 * which is the harness's own ceiling (Node → workerd RPC).
 */
export async function benchConversationDO({ events = 200, concurrency = 16, rounds = 3 } = {}) {
  const { mf } = await startMiniflare("do");
  try {
    const ns = await mf.getDurableObjectNamespace("CONVERSATIONS");
    const conversation = "wa:demo:+254700000999";
    const stub = ns.get(ns.idFromName(`demo:${conversation}`));
    const t0 = Date.now() - 11 * events * rounds * 1000;
    const kinds = [
      "message_received",
      "bot_response",
      "message_received",
      "handoff_requested",
      "agent_assigned",
      "message_sent",
      "message_received",
      "message_sent",
    ];
    const event = (i) => ({
      event_id: `bench-${i}`,
      project_id: "demo",
      event_name: kinds[i % kinds.length],
      channel_type: "whatsapp",
      timestamp: t0 + i * 1000,
      received_at: t0 + i * 1000,
      external_id: "+254700000999",
      conversation_id: conversation,
      properties: {
        direction: kinds[i % kinds.length] === "message_received" ? "inbound" : "outbound",
        agent_id: "agent-7",
        sender: "agent",
      },
    });
    const rate = async (call) => {
      let next = 0;
      const t = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < events) await call(next++);
        }),
      );
      return events / ((performance.now() - t) / 1000);
    };
    const applied = [],
      batched = [],
      reads = [];
    let offset = 0;
    for (let r = 0; r < rounds; r++) {
      reads.push(await rate(() => stub.summary()));
      let base = offset;
      applied.push(await rate((i) => stub.apply([event(base + i)])));
      offset += events;
      // As the consumer feeds it: one RPC per conversation per Queue batch, here 10 events each.
      base = offset;
      batched.push(10 * (await rate((i) => stub.apply(Array.from({ length: 10 }, (_, j) => event(base + i * 10 + j))))));
      offset += events * 10;
      console.log(
        `  round ${r + 1}: ${round(applied.at(-1))} transitions/s one per RPC, ${round(batched.at(-1))}/s ten per RPC, ${round(reads.at(-1))} read RPCs/s (conversation now ${offset} events)`,
      );
    }
    const result = {
      command: "npm run bench -- do",
      events_per_round: events,
      rounds,
      concurrency,
      transitions_per_s: round(median(applied)),
      batched_transitions_per_s: round(median(batched)),
      rpc_ceiling_per_s: round(median(reads)),
      conversation_events_at_end: offset,
    };
    result.ratio = round(result.transitions_per_s / result.rpc_ceiling_per_s, 2);
    record("do", result);
    return result;
  } finally {
    await mf.dispose();
  }
}
