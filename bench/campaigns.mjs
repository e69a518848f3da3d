// Campaign send rate: a UTILITY template to an imported audience, sent by the campaign Workflow
// through the local stand-in provider (Meta's format), at two configured throughputs. The rate is
// recipients sent ÷ (launch → campaign completed), against the throughput the project configured.
import { startStandinProvider } from "../scripts/standin-provider.mjs";
import { ADMIN, record, round, startBenchStack } from "./lib.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(base, method, path, body, type = "application/json") {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...ADMIN, "content-type": type },
    body: body === undefined ? undefined : type === "application/json" ? JSON.stringify(body) : body,
    signal: AbortSignal.timeout(120_000),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** `n` Kenyan mobile numbers, one audience per round (distinct prefixes), as an import CSV. */
function contactsCsv(n, batch) {
  const rows = ["phone,name,bench_round"];
  for (let i = 0; i < n; i++) rows.push(`+2547${String(batch)}${String(i).padStart(7, "0")},Filer ${i},${batch}`);
  return rows.join("\n") + "\n";
}

/** One campaign of `recipients` at `throughput` messages/s; resolves with its measured rate. */
async function oneRound(base, batch, recipients, throughput) {
  const label = `bench-${batch}`;
  const report = await call(base, "POST", "/contacts/import", contactsCsv(recipients, batch), "text/csv");
  if (report.imported + report.merged + report.unchanged !== recipients) throw new Error(`import: ${JSON.stringify(report)}`);
  await call(base, "PUT", "/campaigns/settings", { quiet_hours: null, frequency_cap: null, throughput_per_second: throughput });
  const segment = await call(base, "POST", "/segments", {
    name: label,
    definition: {
      conditions: [
        { type: "trait", trait: "bench_round", value: String(batch) },
        { type: "reachable", value: true },
      ],
    },
  });
  const template = await call(base, "POST", "/templates", {
    name: `reminder_${label.replace("-", "_")}`,
    language: "en",
    category: "UTILITY",
    components: [{ type: "body", variables: [{ from: "trait", key: "name", default: "there" }] }],
  });
  const campaign = await call(base, "POST", "/campaigns", { name: label, segment_id: segment.id, template_id: template.id });
  const started = performance.now();
  const launched = await call(base, "POST", `/campaigns/${campaign.id}/launch`);
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const c = await call(base, "GET", `/campaigns/${campaign.id}`);
    if (c.status === "completed") break;
    if (c.status !== "running" && c.status !== "scheduled") throw new Error(`campaign ${c.status}`);
    if (Date.now() > deadline) throw new Error("campaign still running after 30 minutes");
    await sleep(200);
  }
  const seconds = (performance.now() - started) / 1000;
  const { totals } = await call(base, "GET", `/campaigns/${campaign.id}/results`);
  return {
    configured_per_s: throughput,
    audience: launched.audience,
    sent: totals.sent,
    seconds: round(seconds, 2),
    measured_per_s: round(totals.sent / seconds),
    ratio: round(totals.sent / seconds / throughput, 2),
  };
}

export async function benchCampaigns({ recipients = Number(process.env.BENCH_RECIPIENTS ?? 1000), throughputs = [20, 200] } = {}) {
  const providerPort = 8797;
  const stack = await startBenchStack(8796, "campaigns", {
    vars: { META_API_BASE_URL: `http://127.0.0.1:${providerPort}`, TWILIO_API_BASE_URL: `http://127.0.0.1:${providerPort}` },
  });
  const provider = await startStandinProvider({ port: providerPort, callbackUrl: stack.url, log: () => {} });
  try {
    const base = `${stack.url}/api/projects/demo`;
    const rounds = [];
    for (const [i, t] of throughputs.entries()) {
      rounds.push(await oneRound(base, i + 1, recipients, t));
      console.log(`  ${recipients} recipients at ${t}/s configured: ${rounds.at(-1).measured_per_s}/s measured`);
    }
    const out = { command: "npm run bench -- campaigns", recipients, rounds };
    record("campaigns", out);
    return out;
  } finally {
    await provider?.close?.();
    stack.stop();
  }
}
