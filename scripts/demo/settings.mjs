// The demo project's settings, written through the admin/write API before any event is sent: the
// site's own host (navigation inside it is no referral), the WhatsApp reply ids of the satisfaction
// survey, business hours and an SLA policy.
import { SITE } from "./catalog.mjs";
import { ADMIN_TOKEN } from "./transport.mjs";

/** TaxPal's own hosts: a page of the site referring to another is internal navigation, not a referrer. */
export const INTERNAL_HOSTS = [new URL(SITE).host];

/** Survey reply ids (the list the bot sends after a resolution) and the CSAT score each one is. */
export const CSAT_REPLIES = { csat_1: 1, csat_2: 2, csat_3: 3, csat_4: 4, csat_5: 5 };

/** TaxPal's support desk: weekdays 08:00–18:00 and Saturday mornings, Nairobi time; Kenyan public holidays closed. */
export const BUSINESS_HOURS = {
  timezone: "Africa/Nairobi",
  weekly: {
    sun: [],
    mon: [{ from: "08:00", to: "18:00" }],
    tue: [{ from: "08:00", to: "18:00" }],
    wed: [{ from: "08:00", to: "18:00" }],
    thu: [{ from: "08:00", to: "18:00" }],
    fri: [{ from: "08:00", to: "18:00" }],
    sat: [{ from: "09:00", to: "13:00" }],
  },
  holidays: [
    "2026-01-01",
    "2026-04-03",
    "2026-04-06",
    "2026-05-01",
    "2026-06-01",
    "2026-10-10",
    "2026-10-20",
    "2026-12-12",
    "2026-12-25",
    "2026-12-26",
  ],
};

/** First human response within 15 business minutes, resolution within 4 business hours. */
export const SLA_POLICY = { name: "Filing support", first_response_s: 900, resolution_s: 14_400, business_hours: true };

async function call(url, method, path, body) {
  try {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { ok: res.ok, status: res.status, text: res.ok ? "" : (await res.text()).slice(0, 200) };
  } catch (err) {
    return { ok: false, status: 0, text: String(err) };
  }
}

/** The site's own hosts: `PATCH /api/projects/{p}` with `internal_hosts`. */
async function applyInternalHosts(url, project, log) {
  const r = await call(url, "PATCH", `/api/projects/${project}`, { internal_hosts: INTERNAL_HOSTS });
  if (!r.ok) log(`  internal hosts not set (${r.status} ${r.text})`);
}

/** CSAT survey replies: `PUT /csat/replies`. */
async function applyCsatReplies(url, project, log) {
  const r = await call(url, "PUT", `/api/projects/${project}/csat/replies`, { replies: CSAT_REPLIES });
  if (!r.ok) log(`  CSAT replies not set (${r.status} ${r.text})`);
}

/**
 * Business hours (`PATCH /api/projects/{p}` with `business_hours`) and one SLA policy
 * (`POST /api/projects/{p}/sla/policies`, once per project). A server without those settings
 * answers 400/404: the demo goes on without them and says so.
 */
async function applyBusinessHoursAndSla(url, project, log) {
  const hours = await call(url, "PATCH", `/api/projects/${project}`, { business_hours: BUSINESS_HOURS });
  if (!hours.ok) return log(`  business hours and SLA skipped: this server does not take them (${hours.status})`);
  const existing = await fetch(`${url}/api/projects/${project}/sla/policies`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    .then((res) => (res.ok ? res.json() : null))
    .catch(() => null);
  if (existing?.policies?.some((p) => p.name === SLA_POLICY.name)) return;
  const sla = await call(url, "POST", `/api/projects/${project}/sla/policies`, SLA_POLICY);
  if (!sla.ok) log(`  SLA policy not created (${sla.status} ${sla.text})`);
}

/** Writes the demo project's settings; failures are logged, never fatal (the events still go out). */
export async function applyDemoSettings({ url, project, log = () => {} }) {
  await applyInternalHosts(url, project, log);
  await applyCsatReplies(url, project, log);
  await applyBusinessHoursAndSla(url, project, log);
}
