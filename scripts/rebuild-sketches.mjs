// Adds a project's stored events to its distinct-count sketches, page by page:
//   ADMIN_TOKEN=… node scripts/rebuild-sketches.mjs https://junction.example.workers.dev demo
// Needed once for events stored before the sketches existed (or after restoring D1); safe to re-run.
const [base = "http://127.0.0.1:8787", project = "demo"] = process.argv.slice(2);
const token = process.env.ADMIN_TOKEN ?? "dev-admin-token";
let after = null, events = 0;
do {
  const url = `${base}/api/projects/${project}/sketches/rebuild?limit=2000${after ? `&after=${encodeURIComponent(after)}` : ""}`;
  const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  const page = await res.json();
  events += page.events;
  after = page.next;
  process.stdout.write(`\r${events} events added`);
} while (after);
console.log();
