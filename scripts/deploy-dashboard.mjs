// Builds the dashboard against a Worker on another origin and deploys it to Cloudflare Pages:
//   JUNCTION_API_URL=https://junction.<account>.workers.dev npm run deploy:dashboard
// The Worker must admit the Pages origin: set DASHBOARD_ORIGIN (wrangler.toml [vars]) to it.
// JUNCTION_PAGES_PROJECT names the Pages project (default "junction-dashboard").
import { execSync } from "node:child_process";

const api = process.env.JUNCTION_API_URL;
if (!api || !/^https?:\/\/[^/]+/.test(api)) {
  console.error("set JUNCTION_API_URL to the Worker's origin, e.g. https://junction.example.workers.dev");
  process.exit(1);
}
const project = process.env.JUNCTION_PAGES_PROJECT || "junction-dashboard";
const run = (cmd) => execSync(cmd, { stdio: "inherit", env: process.env });
run("node scripts/build.mjs");
run(`npx wrangler pages deploy dist --project-name ${project}`);
