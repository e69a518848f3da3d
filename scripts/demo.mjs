// `npm run demo [-- --url http://127.0.0.1:8787 --events 6000 --days 30 --seed 42 --concurrency 8]`
// Fills a Junction with a month of realistic web + WhatsApp activity through its real endpoints.
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { generate } from "./demo/generate.mjs";

export { generate };

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { values } = parseArgs({
    options: {
      url: { type: "string", default: process.env.JUNCTION_URL ?? "http://127.0.0.1:8787" },
      events: { type: "string", default: "6000" },
      days: { type: "string", default: "30" },
      seed: { type: "string" },
      concurrency: { type: "string", default: "8" },
      project: { type: "string", default: "demo" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: node scripts/demo.mjs [--url URL] [--events N] [--days D] [--seed S] [--concurrency C] [--project P]");
    process.exit(0);
  }
  const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  const opts = {
    url: values.url,
    events: Number(values.events),
    days: Number(values.days),
    seed,
    concurrency: Number(values.concurrency),
    project: values.project,
  };
  console.log(`Demo data → ${opts.url} (project ${opts.project}): ~${opts.events} events over ${opts.days} days, seed ${seed}`);
  const r = await generate({ ...opts, log: console.log });
  console.log(
    `Sent ${r.sent} events (${r.web} web, ${r.whatsapp} WhatsApp) from ${r.visitors} visitors and ${r.contacts} contacts, ` +
      `${r.handshakes} handshakes, in ${r.seconds.toFixed(1)} s: ${r.perSecond} events/s over ${r.requests} requests.`,
  );
  const latency = Object.entries(r.latency).map(([path, l]) => `${path} ${l.requests} × ${Math.round(l.ms / l.requests)} ms`);
  console.log(`Requests (count × mean latency): ${latency.join(", ")}`);
  if (r.rejected || r.failed) console.log(`${r.rejected} events rejected, ${r.failed} requests failed:\n  ${r.errors.join("\n  ")}`);
  if (r.failed) process.exitCode = 1;
}
