// Support and audience views at volume, on the million-event database `npm run bench -- ingest`
// builds: the agents page's endpoints and a typical segment preview, each a p50 of several
// requests after one warm-up, against the real stack.
import { ADMIN, median, record, round, storedEvents } from "./lib.mjs";
import { millionStack, range30 } from "./dashboard.mjs";

/** Wall time of one request read to its end; a non-2xx answer fails the benchmark. */
async function timed(fn) {
  const t = performance.now();
  const res = await fn();
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  const body = await res.json();
  return { ms: performance.now() - t, body };
}

/** p50 of `runs` requests after one warm-up, and the last answer. */
async function p50(fn, runs) {
  await timed(fn);
  const times = [];
  let body;
  for (let i = 0; i < runs; i++) ({ ms: times[i], body } = await timed(fn));
  return { p50_ms: round(median(times)), body };
}

/** GET /agents and the conversation list over the last 30 days. */
export async function benchAgents({ runs = 9 } = {}) {
  const stack = await millionStack(8794);
  try {
    const base = `${stack.url}/api/projects/demo`;
    const { range } = range30();
    const get = (path) => () => fetch(`${base}${path}`, { headers: ADMIN, signal: AbortSignal.timeout(60_000) });
    const agents = await p50(get(`/agents?${range}`), runs);
    const list = await p50(get(`/conversations?${range}`), runs);
    const out = {
      command: "npm run bench -- agents",
      events_in_db: await storedEvents(stack.url, "demo"),
      runs,
      agents: { p50_ms: agents.p50_ms, agents: agents.body.agents.length, conversations: agents.body.overall.conversations },
      conversations: { p50_ms: list.p50_ms, rows: list.body.conversations.length, more: list.body.next != null },
    };
    console.log(`  agents ${out.agents.p50_ms} ms, conversations ${out.conversations.p50_ms} ms`);
    record("agents", out);
    return out;
  } finally {
    stack.stop();
  }
}

/** The segment the benchmark previews: started an MRI return but did not submit one in 30 days, reachable on WhatsApp. */
export const SEGMENT = {
  match: "all",
  conditions: [
    { type: "event", event: "return_started", where: [{ property: "journey", op: "eq", value: "MRI" }], within_days: 30 },
    { type: "event", event: "return_submitted", where: [{ property: "journey", op: "eq", value: "MRI" }], did: false, within_days: 30 },
    { type: "reachable", channel: "whatsapp", value: true },
  ],
};

/** POST /segments/preview of SEGMENT: member count and a sample of 20. */
export async function benchSegments({ runs = 7 } = {}) {
  const stack = await millionStack(8795);
  try {
    const post = () =>
      fetch(`${stack.url}/api/projects/demo/segments/preview`, {
        method: "POST",
        headers: { ...ADMIN, "content-type": "application/json" },
        body: JSON.stringify(SEGMENT),
        signal: AbortSignal.timeout(120_000),
      });
    const r = await p50(post, runs);
    const out = {
      command: "npm run bench -- segments",
      events_in_db: await storedEvents(stack.url, "demo"),
      runs,
      segment: "did return_started (MRI) and not return_submitted (MRI) in 30 days, reachable on WhatsApp",
      preview: { p50_ms: r.p50_ms, members: r.body.count, sample: r.body.sample.length },
    };
    console.log(`  segment preview ${out.preview.p50_ms} ms (${out.preview.members} members)`);
    record("segments", out);
    return out;
  } finally {
    stack.stop();
  }
}
