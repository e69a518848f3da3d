// `npm run bench [-- section…]`: runs the benchmarks (all by default), prints the figures and
// rewrites BENCHMARKS.md from bench/results.json (sections not re-run keep their last figures).
import { execSync } from "node:child_process";
import { render } from "./report.mjs";

const sections = {
  size: async () => {
    const { sizeReport } = await import("../scripts/size.mjs");
    const r = { command: "npm run size", ...(await sizeReport()) };
    (await import("./lib.mjs")).record("size", r);
    return r;
  },
  capture: async () => (await import("./capture.mjs")).benchCaptureVsNoop(),
  e2e: async () => (await import("./capture.mjs")).benchEndToEnd(),
  consumer: async () => (await import("./consumer.mjs")).benchConsumer(),
  validation: async () => (await import("./validation.mjs")).benchValidation(),
  webhooks: async () => (await import("./webhooks.mjs")).benchWebhookAck(),
  do: async () => (await import("./webhooks.mjs")).benchConversationDO(),
  ingest: async () => (await import("./dashboard.mjs")).benchIngest(),
  queries: async () => (await import("./dashboard.mjs")).benchQueries(),
  load: async () => (await import("./load.mjs")).benchLoad(),
  campaigns: async () => (await import("./campaigns.mjs")).benchCampaigns(),
  agents: async () => (await import("./views.mjs")).benchAgents(),
  segments: async () => (await import("./views.mjs")).benchSegments(),
  dashboard: async () => (await import("./browser.mjs")).benchDashboard(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const run = wanted.length ? wanted : Object.keys(sections);
execSync("node scripts/build.mjs", { stdio: "inherit" });
for (const name of run) {
  if (!sections[name]) throw new Error(`unknown section ${name}; known: ${Object.keys(sections).join(", ")}`);
  console.log(`\n== ${name}`);
  console.log(JSON.stringify(await sections[name](), null, 2));
}
render();
console.log("\nBENCHMARKS.md updated.");
process.exit(0);
