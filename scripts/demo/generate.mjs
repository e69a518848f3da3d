// The demo generator: plans people one at a time from a seed and streams them out through the
// real endpoints, so memory stays flat however many events are asked for.
import { childSeed, createRng } from "./rng.mjs";
import { MINUTE, pickStart } from "./clock.mjs";
import { Transport } from "./transport.mjs";
import { handshakeSession, newVisitor, visitorSessions } from "./web.mjs";
import { contactActions, newContact } from "./whatsapp.mjs";
import { agentStatusEvents } from "./agents.mjs";
import { applyDemoSettings } from "./settings.mjs";

const TOKEN_PLACEHOLDER = "hs_placeholder_token";

/** One web-only visitor: their sessions over the period. Returns the number of events planned. */
function planVisitor(rng, index, now, days) {
  const visitor = newVisitor(rng);
  // Every 40th visitor is on the site right now, so the live view has someone to show.
  const start = index % 40 === 0 ? now - rng.int(0, 8 * MINUTE) : pickStart(rng, now, days);
  const sessions = [...visitorSessions(rng, visitor, start, now)];
  return { kind: "visitor", sessions, count: sessions.reduce((n, s) => n + s.events.length, 0) };
}

/** One WhatsApp contact, and the web session of the link they open (token filled in at send time). */
function planContact(rng, index, now, days) {
  const contact = newContact(rng);
  // Every 25th contact wrote in the last half hour: open conversations and a live queue.
  const start = index % 25 === 1 ? now - rng.int(2 * MINUTE, 30 * MINUTE) : pickStart(rng, now, days);
  const actions = contactActions(rng, contact, start, now);
  const web = actions.find((a) => a.kind === "web");
  const session = web ? handshakeSession(rng, newVisitor(rng, { referrer: "" }), web.at, now, TOKEN_PLACEHOLDER) : null;
  const count = actions.filter((a) => a.kind === "meta" || a.kind === "crm").length + (session?.events.length ?? 0);
  return { kind: "contact", contact, actions, session, count };
}

async function send(t, plan) {
  if (plan.kind === "visitor") {
    for (const s of plan.sessions) await t.capture(s.device, s.events);
    return;
  }
  let token = null;
  for (const a of plan.actions) {
    if (a.kind === "meta") await t.meta(a.change);
    else if (a.kind === "crm") await t.crm(a.event);
    else if (a.kind === "handshake") token = await t.handshake(plan.contact.phone);
    else if (a.kind === "web" && token && plan.session.events.length) {
      const events = JSON.parse(JSON.stringify(plan.session.events).replaceAll(TOKEN_PLACEHOLDER, token));
      await t.capture(plan.session.device, events);
    }
  }
}

/**
 * Generates about `events` events over the last `days` and sends them to `url`.
 * Deterministic for a given `seed` (ids, people, journeys), except the server-issued handshake tokens.
 * Resolves with counts and the send rate.
 */
export async function generate({
  url = "http://127.0.0.1:8787",
  events = 6000,
  days = 30,
  seed = 1,
  concurrency = 8,
  project = "demo",
  phoneNumberId,
  now = Date.now(),
  log = () => {},
} = {}) {
  const t = new Transport({ url, project, concurrency, phoneNumberId });
  const started = performance.now();
  let planned = 0;
  let index = 0;
  const people = { visitors: 0, contacts: 0 };
  const progress = setInterval(() => {
    const sent = t.stats.web + t.stats.whatsapp;
    log(`  ${sent} events sent (${Math.round(sent / ((performance.now() - started) / 1000))}/s), ${t.stats.requests} requests`);
  }, 2000);
  try {
    // Settings first: a survey answer is read as a score only once its id is known, and referrers
    // are told apart from the site's own pages by its internal hosts.
    await applyDemoSettings({ url, project, log });
    // The agents' shifts: one stream from its own seed, so the people after it do not change.
    for (const e of agentStatusEvents(createRng(childSeed(seed, -1)), now, days)) await t.crm(e);
    // Planning is synchronous per person, so which people exist depends only on the seed.
    // Contacts wait on a handshake round trip, so they are sent alongside the main loop.
    const contacts = new Set();
    while (planned < events) {
      const i = index++;
      const rng = createRng(childSeed(seed, i));
      const plan = rng.chance(0.2) ? planContact(rng, i, now, days) : planVisitor(rng, i, now, days);
      people[plan.kind === "visitor" ? "visitors" : "contacts"]++;
      planned += plan.count;
      if (plan.kind === "visitor") await send(t, plan);
      else {
        while (contacts.size >= concurrency) await Promise.race(contacts);
        const task = send(t, plan).finally(() => contacts.delete(task));
        contacts.add(task);
      }
    }
    await Promise.all(contacts);
    await t.flush();
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  const sent = t.stats.web + t.stats.whatsapp;
  return { ...t.stats, ...people, planned, sent, seconds, perSecond: Math.round(sent / seconds) };
}
