// A demo campaign through the local stand-in provider (docs/campaigns.md): an A/B reminder to
// everyone reachable on WhatsApp, sent by the campaign Workflow; the stand-in calls the Worker's
// webhooks back with signed statuses, so the results show deliveries and reads.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs one campaign in `project` and resolves with its results (or throws after `timeoutMs`). */
export async function demoCampaign({ url, project = "demo", token = "dev-admin-token", log = console.log, timeoutMs = 120_000 }) {
  const api = async (method, path, body) => {
    const res = await fetch(`${url}/api/projects/${project}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok && res.status !== 409) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return { status: res.status, json };
  };
  // Demo data spans every hour of the day: no quiet hours here, so the demo sends at once.
  await api("PUT", "/campaigns/settings", { quiet_hours: null, frequency_cap: null, throughput_per_second: 25 });
  const segment = (
    await api("POST", "/segments", { name: "Reachable on WhatsApp", definition: { conditions: [{ type: "reachable", value: true }] } })
  ).json;
  const template = async (name, text) => {
    const made = await api("POST", "/templates", {
      name,
      language: "en",
      category: "UTILITY",
      components: [
        {
          type: "body",
          variables: [
            { from: "trait", key: "name", default: "there" },
            { from: "static", value: text },
          ],
        },
      ],
    });
    if (made.status !== 409) return made.json.id;
    return (await api("GET", "/templates")).json.templates.find((t) => t.name === name && t.language === "en").id;
  };
  const variants = [
    { name: "A", template_id: await template("return_reminder_a", "your return is due in 7 days"), weight: 1 },
    { name: "B", template_id: await template("return_reminder_b", "file in 5 minutes from your phone"), weight: 1 },
  ];
  const campaign = (
    await api("POST", "/campaigns", {
      name: "Return reminder A/B",
      segment_id: segment.id,
      variants,
      goal: { event: "return_submitted", days: 7 },
      cost_per_message: 0.0125,
    })
  ).json;
  const launched = (await api("POST", `/campaigns/${campaign.id}/launch`)).json;
  log(`Demo campaign "${campaign.name}": ${launched.audience} recipients, sending through the stand-in…`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = (await api("GET", `/campaigns/${campaign.id}`)).json;
    if (c.status === "completed" || c.status === "paused" || c.status === "cancelled") break;
    if (Date.now() > deadline) throw new Error(`demo campaign still ${c.status} after ${timeoutMs / 1000} s`);
    await sleep(500);
  }
  // Statuses arrive through the webhooks and the Queue a moment after the sends.
  let results;
  for (let i = 0; i < 20; i++) {
    results = (await api("GET", `/campaigns/${campaign.id}/results`)).json;
    if (results.totals.read + results.totals.failed >= results.totals.sent) break;
    await sleep(500);
  }
  const t = results.totals;
  log(`  sent ${t.sent}, delivered ${t.delivered}, read ${t.read}, failed ${t.failed}, skipped ${JSON.stringify(t.skipped)}`);
  log(`  results: ${url}/api/projects/${project}/campaigns/${campaign.id}/results`);
  return results;
}
