// Web visitors: sessions over days, content browsing and KRA return journeys with drop-offs.
import { CONTENT_PAGES, DEVICES, JOURNEYS, SITE, SOURCES } from "./catalog.mjs";
import { DAY, HOUR, SECOND } from "./clock.mjs";

// Saved funnels (migrations/0005_demo_funnels.sql) match `journey` in upper case; the tracker's
// demo page sends `return_type` in lower case. Both are set.
const J = (key) => key.toUpperCase();
const JOURNEY_WEIGHTS = Object.entries(JOURNEYS).map(([k, j]) => [k, j.weight]);

/** A new visitor: one browser (device + user agent), an acquisition source, an anonymous id. */
export function newVisitor(rng, source = rng.weighted(SOURCES)) {
  return { anonymousId: rng.uuid(), device: rng.weighted(DEVICES), source, userId: null, locale: rng.chance(0.85) ? "en-KE" : "sw-KE" };
}

function query(utm) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(utm ?? {})) q.set(`utm_${k}`, v);
  const s = q.toString();
  return s ? "?" + s : "";
}

/** Builds one session's SDK-shaped events; `until` cuts what has not happened yet. */
class Session {
  constructor(rng, visitor, start, until, landing) {
    Object.assign(this, {
      rng,
      visitor,
      t: start,
      until,
      events: [],
      id: rng.uuid(),
      referrer: landing.referrer ?? "",
      utm: landing.utm,
      first: true,
    });
    this.url = null;
  }
  wait(ms) {
    this.t += Math.round(ms);
  }
  /** An event on the current page. */
  track(event, properties, extraContext = {}) {
    if (this.t > this.until) return false;
    const page = { url: this.url, referrer: this.pageReferrer, title: this.title };
    this.events.push({
      event_id: this.rng.uuid(),
      event,
      timestamp: new Date(this.t).toISOString(),
      anonymous_id: this.visitor.anonymousId,
      session_id: this.id,
      ...(this.visitor.userId ? { user_id: this.visitor.userId } : {}),
      ...(properties ? { properties } : {}),
      context: {
        page,
        utm: this.first ? (this.utm ?? {}) : {},
        locale: this.visitor.locale,
        timezone: "Africa/Nairobi",
        screen: this.visitor.device.screen,
        ...extraContext,
      },
    });
    return true;
  }
  /** A page view; the landing page carries the campaign parameters, later pages the previous URL as referrer. */
  view(path, title) {
    this.first = this.url === null;
    this.pageReferrer = this.first ? this.referrer : this.url;
    this.url = SITE + path + (this.first ? query(this.utm) : "");
    this.title = title;
    return this.track("page_view");
  }
}

/**
 * One attempt at a return. `ease` < 1 lowers every drop-off (a second attempt, or a contact
 * guided from WhatsApp). Returns "submitted" | "abandoned" | "cut".
 */
function journey(s, key, ease = 1, landing) {
  const j = JOURNEYS[key];
  const rng = s.rng;
  if (!s.view(`/returns/${key}`, `${j.name} · TaxPal`)) return "cut";
  landing?.then();
  s.wait(rng.around(12 * SECOND));
  if (!s.track("return_started", { journey: J(key), return_type: key })) return "cut";
  for (const [i, step] of j.steps.entries()) {
    if (rng.chance(j.dropBefore[i] * ease)) return "abandoned";
    s.wait(rng.around(step === "amount" ? 70 * SECOND : 25 * SECOND));
    if (!s.view(`/returns/${key}/${step}`, `${j.name} · ${step}`)) return "cut";
    s.wait(rng.around(step === "amount" ? 90 * SECOND : 30 * SECOND));
    if (!s.track("return_step_completed", { journey: J(key), return_type: key, step, step_index: i + 1 })) return "cut";
  }
  if (rng.chance(j.dropSubmit * ease)) return "abandoned";
  s.wait(rng.around(15 * SECOND));
  const period = "2025-06";
  if (!s.track("return_submitted", { journey: J(key), return_type: key, period })) return "cut";
  s.wait(rng.around(3 * SECOND));
  s.view(`/returns/${key}/done`, "Return submitted · TaxPal");
  if (j.pays && rng.chance(0.8)) {
    s.wait(rng.around(40 * SECOND));
    if (!s.view(`/returns/${key}/payment`, "Pay with M-Pesa · TaxPal")) return "submitted";
    s.wait(rng.around(60 * SECOND));
    const amount = key === "mri" ? rng.int(20, 400) * 75 : rng.int(10, 300) * 15;
    s.track("payment_completed", {
      journey: J(key),
      return_type: key,
      amount,
      currency: "KES",
      method: rng.chance(0.85) ? "mpesa" : "card",
    });
  }
  return "submitted";
}

function browse(s, pages) {
  for (let i = 0; i < pages; i++) {
    const { path, title } = s.rng.weighted(CONTENT_PAGES);
    if (i > 0) s.wait(s.rng.around(45 * SECOND));
    if (!s.view(path, title)) return;
  }
}

/**
 * A visitor's sessions from `start`: bounces, browsing, journeys, abandoned returns resumed on a
 * later visit, and sign-in (user_id) once they have filed. Yields `{ device, events }` per session.
 */
export function* visitorSessions(rng, visitor, start, until) {
  let t = start;
  let pending = null;
  const visits = 1 + (rng.chance(0.35) ? rng.int(1, 3) : 0);
  for (let n = 0; n < visits && t <= until; n++) {
    const landing = n === 0 ? visitor.source : rng.chance(0.6) ? { referrer: "" } : rng.weighted(SOURCES);
    const s = new Session(rng, visitor, t, until, landing);
    const intent = pending
      ? "journey"
      : rng.weighted(
          n === 0
            ? [
                ["bounce", 35],
                ["browse", 25],
                ["journey", 40],
              ]
            : [
                ["bounce", 15],
                ["browse", 25],
                ["journey", 60],
              ],
        );
    if (intent === "bounce") s.view(rng.weighted(CONTENT_PAGES).path, "TaxPal");
    else if (intent === "browse") browse(s, rng.int(2, 5));
    else {
      if (!pending && rng.chance(0.5)) browse(s, rng.int(1, 2)), s.wait(rng.around(20 * SECOND));
      const key = pending ?? rng.weighted(JOURNEY_WEIGHTS);
      const outcome = journey(s, key, pending ? 0.5 : 1);
      pending = outcome === "abandoned" ? key : null;
      if (outcome === "submitted" && !visitor.userId && rng.chance(0.6)) visitor.userId = "KRA-A0" + rng.digits(8);
    }
    if (s.events.length) yield { device: visitor.device, events: s.events };
    t = s.t + rng.between(2 * HOUR, 6 * DAY);
  }
}

/** The web side of a WhatsApp handoff: the contact opens the webview link and files a return. */
export function handshakeSession(rng, visitor, start, until, token) {
  const s = new Session(rng, visitor, start, until, { referrer: "", utm: { source: "whatsapp", medium: "chat", campaign: "bot_link" } });
  const key = rng.weighted(JOURNEY_WEIGHTS);
  // The link carries ?hs_token=; the tracker strips it from the URL before the page view (so it
  // never reaches referrers or stored URLs) and reports it in handshake_complete.
  const then = () => (s.wait(rng.between(200, 1500)), s.track("handshake_complete", { token }, { handshake_token: token }));
  journey(s, key, 0.6, { then });
  return { device: visitor.device, events: s.events, journey: key };
}
