// `npm start`: build, migrate, serve everything at one URL, seed demo data into an empty database.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { startStack } from "./local-stack.mjs";
import { demoCampaign } from "./demo/campaign.mjs";
import { startStandinProvider } from "./standin-provider.mjs";

const port = Number(process.env.PORT ?? 8787);
execSync("node scripts/build.mjs", { stdio: "inherit" });
const { url, child, stop } = await startStack({ port });
process.on("SIGINT", () => (stop(), process.exit(0)));
process.on("SIGTERM", () => (stop(), process.exit(0)));
// The stand-in send provider campaigns call locally (.dev.vars: META_API_BASE_URL), calling the Worker back.
const provider = await startStandinProvider({ port: 8790, callbackUrl: url, log: () => {} }).catch((err) =>
  console.log(`Stand-in provider not started: ${err.message}`),
);

const res = await fetch(`${url}/api/projects/demo/events?limit=1`, { headers: { authorization: "Bearer dev-admin-token" } });
const empty = res.ok && (await res.json()).events.length === 0;
if (empty && existsSync("scripts/demo.mjs")) {
  console.log("Empty database: generating demo data through the real endpoints…");
  execSync(`node scripts/demo.mjs --url ${url}`, { stdio: "inherit" });
  if (provider) await demoCampaign({ url }).catch((err) => console.log(`Demo campaign failed: ${err.message}`));
}

console.log(`
Junction is running at ${url}
  dashboard   ${url}/            (read token: demo-read-token, write token: demo-write-token, admin: dev-admin-token)
  tracker     ${url}/sdk.js
  stand-in    ${provider ? provider.url : "not running"}  (WhatsApp send provider for campaigns, docs/campaigns.md)
  send a first event:
    curl -X POST ${url}/capture -H 'content-type: application/json' \\
      -d '{"project":"demo","sent_at":"'$(date -u +%FT%TZ)'","events":[{"event_id":"'$(cat /proc/sys/kernel/random/uuid 2>/dev/null || echo 0b1e4f1c-1d2a-4c39-9a53-3f1f2d0e9c11)'","event":"page_view","timestamp":"'$(date -u +%FT%TZ)'","anonymous_id":"a1","session_id":"s1"}]}'
    curl ${url}/api/projects/demo/events -H 'authorization: Bearer dev-admin-token'
`);
child.on("exit", (code) => process.exit(code ?? 0));
