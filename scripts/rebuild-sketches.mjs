// Adds a project's stored events to its distinct-count sketches, page by page:
//   ADMIN_TOKEN=… node scripts/rebuild-sketches.mjs https://junction.example.workers.dev demo [--reset]
// Needed once for events stored before the sketches existed (or after restoring D1); safe to re-run.
// --reset empties the sketches first: needed once after upgrading to migration 0014, which changed who
// counts as a visitor (WhatsApp events count their contact only; system events count nobody).
const args = process.argv.slice(2);
const reset = args.includes("--reset");
const [base = "http://127.0.0.1:8787", project = "demo"] = args.filter((a) => a !== "--reset");
const token = process.env.ADMIN_TOKEN ?? "dev-admin-token";
let after = null,
  events = 0;
do {
  const first = after === null && reset ? "&reset=true" : "";
  const url = `${base}/api/projects/${project}/sketches/rebuild?limit=2000${first}${after ? `&after=${encodeURIComponent(after)}` : ""}`;
  const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  const page = await res.json();
  events += page.events;
  after = page.next;
  process.stdout.write(`\r${events} events added`);
} while (after);
console.log();
