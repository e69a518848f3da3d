// Renders BENCHMARKS.md (and the README's table) from bench/results.json.
import { readFileSync, writeFileSync } from "node:fs";
import { readResults } from "./lib.mjs";

const ok = (pass) => (pass ? "met" : "**not met**");
/** A goal set for a million events, judged on a smaller database: says so instead of claiming it. */
const okAt = (pass, events) => (events >= 990_000 ? ok(pass) : `${ok(pass)} at ${events.toLocaleString("en")} events; not measured at 1M`);

/** One row per figure: [what, measured, goal, status, command]. */
function rows(r) {
  const out = [];
  if (r.capture) {
    const c = r.capture;
    out.push([
      "Capture req/s vs no-op Worker (10 events/request, " + c.connections + " connections, median of " + c.rounds + ")",
      `${c.capture.rps} vs ${c.noop.rps} req/s = **${c.ratio}×**; p50 ${c.capture.p50_ms} ms / p99 ${c.capture.p99_ms} ms (no-op ${c.noop.p50_ms} / ${c.noop.p99_ms} ms)` +
        (c.bare_noop ? `; vs a no-op without the assets router ${c.bare_noop.rps} req/s = ${c.bare_ratio}×` : ""),
      "≥ 0.67×",
      ok(c.ratio >= 0.67),
      c.command,
    ]);
  }
  if (r.e2e) {
    const e = r.e2e;
    out.push([
      "End to end through /capture → Queue → D1",
      `${e.events_sent} sent, ${e.events_stored} stored, **lost ${e.events_lost}**; capture ${e.capture_events_per_s} ev/s, sustained to D1 ${e.sustained_events_per_s} ev/s`,
      "≥ 20,000 sent, 0 lost",
      ok(e.events_sent >= 20000 && e.events_lost === 0),
      e.command,
    ]);
  }
  if (r.load) {
    const l = r.load;
    const codes = (x) =>
      Object.entries(x)
        .map(([code, n]) => `${n}× ${code}`)
        .join(", ") || "none";
    out.push([
      `Load: capture + signed webhooks mixed (${l.capture_requests.toLocaleString("en")} × ${l.events_per_capture}-event capture at ${l.capture_connections} connections + ${l.webhook_requests.toLocaleString("en")} × ${l.messages_per_delivery}-message Meta deliveries at ${l.webhook_connections}, ${l.rounds > 1 ? "median of " + l.rounds + " rounds" : "1 round"})`,
      `**${l.sustained_events_per_s} events/s** sustained (first send → all stored, ${l.seconds_first_send_to_all_stored} s); capture p50 ${l.capture.p50_ms} / p99 ${l.capture.p99_ms} ms, webhooks p50 ${l.webhooks.p50_ms} / p99 ${l.webhooks.p99_ms} ms; ${l.acknowledged.toLocaleString("en")} acknowledged, ${l.stored.toLocaleString("en")} stored, ${l.missing} missing, ${l.duplicates} duplicates; non-2xx: capture ${codes(l.capture.non2xx_by_status)}, webhooks ${codes(l.webhooks.non2xx_by_status)}`,
      "sent = stored, 0 duplicates",
      ok(l.sent_equals_stored),
      l.command,
    ]);
  }
  if (r.consumer) {
    const c = r.consumer;
    out.push([
      "Consumer: one 100-message batch into local D1 (" + c.batches + " batches)",
      `p50 **${c.p50_ms} ms**, p90 ${c.p90_ms} ms`,
      "≤ 20 ms p50",
      ok(c.p50_ms <= 20),
      c.command,
    ]);
  }
  if (r.validation) {
    const v = r.validation;
    out.push([
      "Zod validation per event vs JSON.parse of the same body",
      `${v.zod_us_per_event} µs vs ${v.json_parse_us_per_event} µs = **${v.ratio}×**`,
      "≤ 1.5×",
      ok(v.ratio <= 1.5),
      v.command,
    ]);
  }
  if (r.size) {
    const z = r.size;
    out.push([
      "Tracker `sdk.js` (script tag bundle)",
      `${z.raw} B raw, **${z.gzip} B gzip-9**, ${z.brotli} B brotli`,
      "≤ 1,800 B gzip (goal ≤ 1,500)",
      z.gzip <= 1500 ? "met (goal)" : ok(z.gzip <= 1800) + " (budget)",
      z.command,
    ]);
  }
  if (r.webhooks) {
    const w = r.webhooks;
    out.push([
      "Signed Meta webhook ack (10 messages) vs /capture (10 events), same run",
      `p50 ${w.meta.p50_ms} vs ${w.capture.p50_ms} ms = **${w.p50_ratio}×**; p99 ${w.meta.p99_ms} vs ${w.capture.p99_ms} ms = ${w.p99_ratio}×`,
      "≤ 1.2× capture",
      ok(w.p50_ratio <= 1.2),
      w.command,
    ]);
  }
  if (r.do) {
    const d = r.do;
    out.push([
      "ConversationDO transitions/s, one hot conversation (" + d.concurrency + " RPCs in flight)",
      `**${d.transitions_per_s}/s** one event per RPC (harness ceiling ${d.rpc_ceiling_per_s} read-only RPCs/s, ${d.ratio}×); **${d.batched_transitions_per_s}/s** ten events per RPC, as the consumer feeds it; conversation grew to ${d.conversation_events_at_end} events`,
      "—",
      "measured",
      d.command,
    ]);
  }
  if (r.ingest) {
    const i = r.ingest;
    out.push([
      `Ingest ${i.events_sent.toLocaleString("en")} demo events through the real pipeline (run of ${i.measured_at.slice(0, 10)})`,
      `${i.events_stored.toLocaleString("en")} stored in ${i.seconds_until_stored} s = **${i.events_per_s} events/s**`,
      "—",
      i.events_stored >= i.events_sent ? "all stored" : "**" + (i.events_sent - i.events_stored) + " missing**",
      i.command,
    ]);
  }
  if (r.queries) {
    const q = r.queries;
    const n = q.events_in_db.toLocaleString("en");
    if (q.overview_series)
      out.push([
        `Overview series, 30 days by day (${n} events)`,
        `rollups **${q.overview_series.rollups_p50_ms} ms** vs raw ${q.overview_series.raw_p50_ms} ms (${q.overview_series.speedup}×)`,
        "≤ 100 ms p50",
        okAt(q.overview_series.rollups_p50_ms <= 100, q.events_in_db),
        q.command,
      ]);
    if (q.top_pages)
      out.push([
        `Top pages, 30 days (${n} events)`,
        `rollups **${q.top_pages.rollups_p50_ms} ms** vs raw ${q.top_pages.raw_p50_ms} ms (${q.top_pages.speedup}×)`,
        "≤ 100 ms p50",
        okAt(q.top_pages.rollups_p50_ms <= 100, q.events_in_db),
        q.command,
      ]);
    if (q.distinct_error)
      out.push([
        `Distinct counts from sketches vs exact, 30 days (${n} events)`,
        ["visitors", "sessions"]
          .map((k) => `${k} ${q.distinct_error[k].rollups} vs ${q.distinct_error[k].raw} (${q.distinct_error[k].error_pct} %)`)
          .join("; "),
        "HyperLogLog, 0.81 % standard error",
        "—",
        q.command,
      ]);
    if (q.funnel_3_steps)
      out.push([
        `3-step funnel, 30 days (${n} events)`,
        `**${q.funnel_3_steps.p50_ms} ms** p50 (indexed, time-bounded raw events)`,
        "≤ 250 ms p50 at 1M events",
        okAt(q.funnel_3_steps.p50_ms <= 250, q.events_in_db),
        q.command,
      ]);
  }
  if (r.funnel_ab) {
    const f = r.funnel_ab;
    out.push([
      `3-step funnel before/after, side by side on copies of one database (${f.events_in_db.toLocaleString("en")} events)`,
      `${f.base_p50_ms} ms (${f.command.split(" ").at(-2)}) → **${f.new_p50_ms} ms** = **${f.ratio}×**, p50 of ${f.runs} each, alternating; ${f.same_answer ? "identical answers" : "**answers differ**"} (${f.counts.join(" → ")})`,
      "≤ 250 ms p50 at 1M events",
      okAt(f.new_p50_ms <= 250 && f.same_answer, f.events_in_db),
      f.command,
    ]);
  }
  if (r.agents) {
    const a = r.agents;
    const n = a.events_in_db.toLocaleString("en");
    out.push([
      `Agents page: \`GET /agents\`, 30 days (${n} events; ${a.agents.conversations.toLocaleString("en")} handled conversations, ${a.agents.agents} agents)`,
      `**${a.agents.p50_ms} ms** p50 of ${a.runs}`,
      "≤ 100 ms p50",
      okAt(a.agents.p50_ms <= 100, a.events_in_db),
      a.command,
    ]);
    out.push([
      `Conversation list: \`GET /conversations\`, 30 days, first page of ${a.conversations.rows} (${n} events)`,
      `**${a.conversations.p50_ms} ms** p50 of ${a.runs}`,
      "≤ 100 ms p50",
      okAt(a.conversations.p50_ms <= 100, a.events_in_db),
      a.command,
    ]);
  }
  if (r.segments) {
    const g = r.segments;
    out.push([
      `Segment preview: ${g.segment} (${g.events_in_db.toLocaleString("en")} events)`,
      `**${g.preview.p50_ms} ms** p50 of ${g.runs}; ${g.preview.members.toLocaleString("en")} members, sample of ${g.preview.sample}`,
      "≤ 1 s p50",
      okAt(g.preview.p50_ms <= 1000, g.events_in_db),
      g.command,
    ]);
  }
  if (r.segment_ab) {
    const g = r.segment_ab;
    out.push([
      `Segment preview before/after, side by side on copies of one database (${g.events_in_db.toLocaleString("en")} events)`,
      `${g.base_p50_ms} ms (${g.command.split(" ").at(-2)}) → **${g.new_p50_ms} ms** = **${g.ratio}×**, p50 of ${g.runs} each, alternating; ${g.same_answer ? "identical answers" : "**answers differ**"} (${g.counts[0].toLocaleString("en")} members)`,
      "≤ 1 s p50",
      okAt(g.new_p50_ms <= 1000 && g.same_answer, g.events_in_db),
      g.command,
    ]);
  }
  if (r.dashboard) {
    const d = r.dashboard;
    const n = d.events_in_db.toLocaleString("en");
    for (const [name, p] of Object.entries(d.pages)) {
      const title = { overview: "Overview", funnels: "Funnels", whatsapp: "WhatsApp", agents: "Agents" }[name] ?? name;
      out.push([
        `Dashboard ${title}: navigation → first ${p.first} painted, headless Chromium, cold load (${n} events)`,
        `**${p.p50_ms} ms** median of ${d.loads} (max ${p.max_ms} ms)`,
        "≤ 1 s",
        okAt(p.p50_ms <= 1000, d.events_in_db),
        d.command,
      ]);
    }
    out.push([
      "Dashboard bundle (index.html + JS + CSS a first visit downloads)",
      `${d.bundle.raw.toLocaleString("en")} B raw, **${d.bundle.gzip.toLocaleString("en")} B gzip-9**`,
      "—",
      "measured",
      d.command,
    ]);
  }
  if (r.campaigns) {
    const c = r.campaigns;
    const each = c.rounds
      .map((x) => `${x.configured_per_s}/s configured → **${x.measured_per_s}/s** (${x.ratio}×, ${x.sent} sent in ${x.seconds} s)`)
      .join("; ");
    out.push([
      `Campaign send rate: ${c.recipients.toLocaleString("en")} recipients, UTILITY template, campaign Workflow → stand-in provider (Meta format)`,
      each,
      "the configured throughput",
      c.rounds.every((x) => x.ratio >= 0.9) ? "met" : "**not met**",
      c.command,
    ]);
  }
  return out;
}

export function table(r = readResults()) {
  const lines = ["| figure | measured | goal | status | command |", "|---|---|---|---|---|"];
  for (const row of rows(r)) lines.push("| " + row.join(" | ") + " |");
  return lines.join("\n");
}

export function render() {
  const r = readResults();
  const when =
    Object.values(r)
      .map((s) => s.measured_at)
      .sort()
      .at(-1) ?? "never";
  const md = `# Junction benchmarks

Measured on this project's development machine (2 shared cores, local workerd via \`wrangler dev\` / Miniflare,
local D1 SQLite). Rates are compared side by side in one run against a baseline and reported as a ratio;
each figure is a median of several runs. Figures not yet at their goal are shown as measured.
Last run: ${when}. Raw figures: \`bench/results.json\`. Query, agents, segment and dashboard figures are on the
database in \`bench/out/state-million\` as it stood for that run (its event count is in each row); the ingest row is
the last complete million through the pipeline.

${table(r)}

## Where the time goes
- **Capture (${r.capture?.ratio}× a no-op)**: the Worker's own work (JSON, per-event zod, records, the rate limiter,
  the cached project lookup) is small; most of the gap is \`sendBatch\` into the local Queue simulator, which runs inside
  the same workerd process on the same two cores as the Worker and the load generator. In production the send is a
  call to the Queues service.
- **Consumer (${r.consumer?.p50_ms} ms per 100 messages, goal 20)**: one D1 batch of nine statements is most of it:
  the insert (~4 ms of SQL: 100 rows into a table with nine indexes, each row's person resolved from \`identities\`),
  the rollup upserts (~1.7 ms counts at three grains, ~0.8 ms sessions and their totals, ~2.7 ms the per-filter sessions
  and totals) and ~5 ms of D1 overhead around them (integer-ms \`meta.duration\` averaged over 30 batches, against
  ~14 ms for the whole D1 batch, at a quieter moment when the handler took ~22 ms). The sketches' add to \`UniquesDO\` (~3 ms) runs beside it. Rows now travel as
  positional arrays instead of objects (smaller, no key lookups); side by side with the code before
  (\`node bench/ab-consumer.mjs a02a962\`) that is within the noise of this loaded machine: 1.08, 0.89 and 0.94× over
  three runs, ${r.consumer_ab ? r.consumer_ab.ratio + "× (" + r.consumer_ab.new_p50 + " vs " + r.consumer_ab.base_p50 + " ms)" : "—"} with migration 0027's wider index as well. The figure moves with the
  machine's load: the code before measured 21–34 ms p50 with the same harness at a quieter moment of the same day.
  No index was dropped: \`EXPLAIN QUERY PLAN\` shows the (project, event, time) index serving segment event conditions
  and the (project, person, time) index serving the segment universe, so neither is redundant. Next steps: the
  per-filter session statements (three of nine) only for the dimensions dashboards filter by, fewer grains.
- **Dashboard queries**: totals, series and breakdowns read the grain rollups (a 30-day range is ~30 day
  rows per value) and merge a few hundred sketches in the project's Durable Object; distinct visitors and sessions
  above 2,000 per bucket are HyperLogLog estimates (measured error in the table). What remains is the Worker → D1 and
  Worker → Durable Object round trips and merging the sketches of each value.
- **Funnel**: step 1 is read from the covering (event, path, time) index; each later step is one more column of the
  entrant's row, their earliest event of the step at or after the step before (a correlated \`min()\` per entrant,
  one seek in the per-person index), each step materialized once; migration 0027 adds \`properties\` to the
  per-person index, so a step's \`where\` needs no table row. The answer's figures are computed in SQL too: per group
  (everyone, each breakdown value) how many reached each step, and the middle one or two of each step's times
  (\`row_number()\` over the group's times in order), so a query returns a few rows instead of one per entrant (the
  JS chaining of every step event is gone; the step-people routes still read one finished path per entrant). Side by
  side with the code before on copies of one database (\`node bench/ab.mjs a02a962 funnel\`, identical answers,
  breakdowns included): ${r.funnel_ab ? `${r.funnel_ab.base_p50_ms} → ${r.funnel_ab.new_p50_ms} ms (${r.funnel_ab.ratio}×) at ${r.funnel_ab.events_in_db.toLocaleString("en")} events` : "—"}. On a
  930,075-event copy (186,015 ingested demo events repeated five times under shifted ids), before the SQL aggregation,
  the per-step columns and index alone took it from 2,018 to 508 ms, and returning counts instead of the ~19k paths
  took a further ~300 ms off (a very loaded machine). What is left is one random seek per entrant and step.
- **Agents (${r.agents?.agents?.p50_ms} ms)**: two statements over \`conversation_cycles\` in the range (the counts, and one
  row per handled cycle with its five durations), the medians and p90s computed in the Worker. Before, SQLite
  unpivoted five metrics × (all, per agent) with \`json_each\` and ranked the ~60k values with \`row_number()\`: 232.4 ms
  at a million events, ~300 ms of it the window function when timed alone in sqlite3.
- **Segment preview (${r.segments?.preview?.p50_ms} ms)**: when every condition must hold and one is an event set
  ("did return_started"), the count and the sample page start from that condition's people (the name-and-time
  index) and test the other conditions per person; before, they started from every person the project has
  (\`SELECT DISTINCT person_id FROM events\` ∪ contacts, a scan of the whole per-person index), so the cost grew with
  the project's people rather than the segment's. ${r.segment_ab ? `Side by side: ${r.segment_ab.base_p50_ms} → ${r.segment_ab.new_p50_ms} ms (${r.segment_ab.ratio}×) at ${r.segment_ab.events_in_db.toLocaleString("en")} events, identical answers: ${r.segment_ab.same_answer ? "yes" : "no"}.` : ""} A
  definition of only "did not" or "any of" conditions still starts from everyone.
- **Dashboard pages**: a cold load is the bundle (${r.dashboard?.bundle?.gzip?.toLocaleString("en")} B gzip) plus each
  panel's API calls. Locally every request and every D1 statement of the stack share one workerd process and one
  SQLite file, so a page's slowest statement delays its other panels (a D1 database runs one statement at a time in
  production too). When each API answer of one cold WhatsApp load completed, at 1,001,876 events (2026-12-04):
  \`whatsapp/overview\` 3.0 s, \`growth\`, \`peak-hours\` and \`messages-series\` 3.8 s, \`whatsapp/delivery\` 5.7 s,
  \`csat\` 5.8 s. The first chart waits behind the overview, whose delivery funnel (like the delivery table's) groups
  every \`message_status\` event of the range by message (JSON fields, then a sort of ~190k statuses). WhatsApp figures
  now read a partial covering index over WhatsApp events only (migration 0028), so no table row is fetched; the
  bot report, not on this page, went from 4.5 s to 0.17 s at 500k events when its links are found by conversation
  (migration 0029) instead of scanning every link per conversation. The next step for the WhatsApp page is the
  furthest status per message kept at ingest, in the insert's transaction, and message counts per bucket in the
  rollups, so neither list of statuses nor messages is walked per view. The Funnels page went from 3,575 ms to
  ${r.dashboard?.pages?.funnels?.p50_ms ?? "—"} ms when the builder's property-key suggestions (one per step) stopped counting keys over every
  event of the range (three raw scans of ~3.3 s each, which also held up the next load's requests) and read the
  range's latest 5,000 events; what remains is the saved funnel's list, then its query. The CSAT report took 73 s
  here (its cycle lookup walked the opened-at index) and is 67 ms since that fix; the bots hint scanned every event
  of the range (1.5–4.7 s) and now sums the rollups.
- **Query figures move with the machine**: the same queries measured on 2026-12-03 on another million-event
  database of the same generator (funnel 248.1 ms, \`/agents\` 88.7 ms, segment preview 863.9 ms, raw overview scan
  16.8 s) took 1.2 to 2.5 times as long in two runs on 2026-12-04 (funnel 525.5 and 385.5 ms, \`/agents\` 126.7 and
  105.1 ms, segment preview 1,750 and 2,000 ms, raw overview scan 42.5 and 37.6 s; the table shows the later run),
  with no change to those queries in between. The host reclaims idle page cache (about 300 MB of the database file every 30 s, read off
  \`free -m\`), so the 1.8 GB database is partly read from disk again; ratios measured within one run (rollups vs
  raw) stay comparable, absolute milliseconds less so.
- **Campaign sends (${r.campaigns ? r.campaigns.rounds.map((x) => `${x.measured_per_s}/s at ${x.configured_per_s}/s configured`).join(", ") : "—"})**:
  each send is claimed in D1 before the provider call and recorded after it (so a restart never sends twice),
  and a pool of workers (one per 5 messages/s) takes recipients in order, each send in its own paced slot, so
  the next recipients' checks overlap the calls in flight (the earlier waves waited for their slowest call and
  measured 14/s at 20/s configured). Locally the
  ceiling is those two D1 writes per message on the one SQLite file the whole stack shares (and the stand-in
  and the status webhooks it calls back run on the same two cores); the pacing itself holds the configured
  rate below it.

## How each figure is produced
- **Capture vs no-op**: \`bench/capture.mjs\` starts the real Worker and \`bench/noop\` (a Worker that reads the body
  and answers 202) under the same \`wrangler dev\`, and loads each with autocannon (same 10-event body, same
  connections), alternating rounds. The no-op is deployed like Junction (static assets in front, \`/capture\` routed to
  the Worker first): locally that assets router is a real hop that halves any Worker's rate, so a second, bare no-op
  is reported too. The capture Worker runs with its per-client rate limit raised so one load generator measures
  capture, not the limiter (the limiter call still runs), and without Queue consumers attached (the Queue buffers),
  because in production the consumer runs in its own invocations rather than on capture's CPU; the end-to-end
  figure below includes the consumer.
- **End to end**: 100-event SDK-shaped batches at concurrency 16 into a fresh project; \`events lost\` = accepted by
  /capture − rows in D1 after the consumer drained the Queue.
- **Load**: \`bench/load.mjs\` runs two bounded autocannon loads at once against one fresh stack with its consumers
  attached: SDK-shaped 10-event \`/capture\` batches and 10-message Meta deliveries from a few contacts, each signed
  (HMAC-SHA256 of the exact body), every request with fresh event ids / wamids. It then waits until D1 holds the
  acknowledged events and checks them id by id (stored, missing, stored but not acknowledged, duplicates). The rate is
  stored events ÷ wall time from the first send until all were stored; \`BENCH_LOAD_*\` env vars scale it.
- **Consumer**: \`bench/consumer.mjs\` dispatches 100-message batches straight into the Worker's \`queue()\`
  handler (\`unstable_startWorker\`), timing the whole handler: validation, UA parsing, the single-statement D1 insert
  and the rollup statements in one transaction, the sketches' add to \`UniquesDO\`, the after-store hooks and
  Analytics Engine writes.
- **Webhooks**: \`bench/webhooks.mjs\` loads a signed 10-message Meta delivery and a 10-event capture batch against the
  same Worker (consumers detached, as for capture), alternating rounds; latency is the time to the 200/202
  acknowledgement.
- **ConversationDO**: events applied one RPC each to one conversation's Durable Object from Node (Miniflare), 16 in
  flight; the read-only \`summary()\` RPC rate to the same object is the harness's own ceiling.
- **Ingest and queries**: \`bench/dashboard.mjs\` generates demo data (\`scripts/demo.mjs\`: SDK-shaped capture
  batches, signed Meta and CRM webhooks, handshakes; 30 days of MRI/TOT/NIL journeys and WhatsApp conversations) into a
  fresh database in chunks of 50,000 events, waiting for the consumer after each (the local Queue simulator keeps its
  backlog in one isolate's memory and degrades past ~100k waiting messages, which a production Queue does not). The
  rate is stored events ÷ wall time from the first send until D1 holds them all. It then times each dashboard query
  over the last 30 days with \`source=rollups\` (p50 of 7) and \`source=raw\` (p50 of 3, each cut off after 120 s), and a 3-step MRI funnel.
  The demo scatters each person's journey at a random time of the 30 days, so every consumer batch touches buckets of
  many different days: a harder write pattern than live traffic, whose batches share the current quarter hour.
  The distinct-count line compares the 30-day totals of one \`source=rollups\` and one \`source=raw\` overview.
- **Validation**: \`bench/validation.mjs\` bundles \`workers/contract\` and times batch + per-event zod parsing
  against \`JSON.parse\` of the same 10-event body in the same V8.
`;
  writeFileSync("BENCHMARKS.md", md);
  const readme = readFileSync("README.md", "utf8");
  const start = readme.indexOf("<!-- bench:start -->");
  const end = readme.indexOf("<!-- bench:end -->");
  if (start >= 0 && end > start) {
    writeFileSync("README.md", readme.slice(0, start) + "<!-- bench:start -->\n" + table(r) + "\n" + readme.slice(end));
  }
}
