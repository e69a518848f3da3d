// WhatsApp contacts: Meta Cloud API deliveries (inbound messages, delivery statuses) and the CRM's
// view of the same conversation (bot answers, handoffs, agents, resolution), on one timeline.
import { AGENTS, CSAT_COMMENTS, CSAT_MEANS, FIRST_NAMES, INBOUND_TEXTS, PHONE_PREFIXES } from "./catalog.mjs";
import { DAY, MINUTE, SECOND } from "./clock.mjs";

const toB64 = (hex) => Buffer.from(hex, "hex").toString("base64");

/**
 * A contact: E.164 phone (or, for a contact who shares only a username, a BSUID and no phone), profile
 * name, and whether they will open the web link.
 */
export function newContact(rng) {
  const [prefix, length] = rng.weighted(PHONE_PREFIXES);
  const contact = { phone: prefix + rng.digits(length - prefix.length), name: rng.pick(FIRST_NAMES), linked: false };
  if (rng.chance(0.08))
    Object.assign(contact, { phone: `KE.${rng.digits(19)}`, bsuid: true, username: `${contact.name.toLowerCase()}_${rng.digits(3)}` });
  return contact;
}

/** A CSAT score around the agent's (or the bot's) mean, lower after a long wait. */
function csatScore(rng, who, waitedMs) {
  const noise = (rng.next() + rng.next() + rng.next() - 1.5) * 1.6;
  const penalty = waitedMs > 10 * MINUTE ? 1 : 0;
  return Math.min(5, Math.max(1, Math.round(CSAT_MEANS[who] + noise - penalty)));
}

/**
 * Plans one contact's conversations as timed actions: `{ at, kind: "meta", change }`,
 * `{ at, kind: "crm", event }` and `{ at, kind: "handshake" }` (the bot asking for a web link).
 * Anything after `until` has not happened yet (an open conversation, a contact still queued).
 */
export function contactActions(rng, contact, start, until) {
  const actions = [];
  const waId = contact.bsuid ? null : contact.phone.slice(1);
  // How Meta names the contact: its wa_id, or only its BSUID (and username) for a username-only contact.
  const profile = contact.bsuid
    ? { profile: { name: contact.name, username: contact.username }, user_id: contact.phone }
    : { profile: { name: contact.name }, wa_id: waId };
  const sender = contact.bsuid ? { from_user_id: contact.phone } : { from: waId };
  const recipient = contact.bsuid ? { recipient_user_id: contact.phone } : { recipient_id: waId };
  let t = start;
  let crmSeq = 0;
  const at = (ms) => (t += Math.max(200, Math.round(ms)));
  const crm = (type, extra = {}) =>
    actions.push({
      at: t,
      kind: "crm",
      event: { id: `demo-${rng.hex(12)}-${crmSeq++}`, type, occurred_at: new Date(t).toISOString(), phone: contact.phone, ...extra },
    });
  const wamid = () => "wamid." + toB64("0c" + rng.hex(46));
  const inbound = (text, type = "text") => {
    const id = wamid();
    const ts = String(Math.floor(t / 1000));
    const message =
      type === "image"
        ? {
            ...sender,
            id,
            timestamp: ts,
            type,
            image: { id: rng.digits(16), mime_type: "image/jpeg", sha256: toB64(rng.hex(64)), caption: "my P9 form" },
          }
        : type === "interactive"
          ? {
              ...sender,
              id,
              timestamp: ts,
              type,
              interactive: { type: "button_reply", button_reply: { id: "file_return", title: "File a return" } },
            }
          : type === "csat"
            ? // The answer to the satisfaction survey, a list of five (scripts/demo/settings.mjs maps the ids to scores).
              {
                ...sender,
                id,
                timestamp: ts,
                type: "interactive",
                interactive: { type: "list_reply", list_reply: { id: `csat_${text}`, title: "★".repeat(text) } },
              }
            : { ...sender, id, timestamp: ts, type: "text", text: { body: text } };
    actions.push({ at: t, kind: "meta", change: { contacts: [profile], messages: [message] } });
  };
  // A reply the business typed in the WhatsApp Business app (coexistence): Meta echoes it as smb_message_echoes.
  const echo = () => {
    const to = contact.bsuid ? { to_user_id: contact.phone } : { to: waId };
    const message = {
      from: "254709000000",
      ...to,
      id: wamid(),
      timestamp: String(Math.floor(t / 1000)),
      type: "text",
      text: { body: "Hi, this is TaxPal support from the office phone." },
    };
    actions.push({ at: t, kind: "meta", change: { field: "smb_message_echoes", message_echoes: [message] } });
  };
  // After a resolution the bot sometimes sends the survey; most who get it answer, mostly with the list, else in the CRM's web form.
  const survey = (who, waitedMs) => {
    if (!rng.chance(who === "bot" ? 0.3 : 0.65)) return;
    at(rng.between(30 * SECOND, 3 * MINUTE));
    outbound("bot_response", { template: "csat_survey" });
    if (!rng.chance(0.7)) return;
    at(rng.around(4 * MINUTE, 1.2));
    const score = csatScore(rng, who, waitedMs);
    if (rng.chance(0.7)) inbound(score, "csat");
    else crm("csat", { score, ...(rng.chance(0.4) ? { comment: rng.pick(CSAT_COMMENTS) } : {}) });
  };
  // An outbound message reported by the CRM, then Meta's statuses for it (sometimes out of order).
  const outbound = (type, extra) => {
    const id = wamid();
    crm(type, { message_id: id, message_type: extra.template ? "template" : "text", content_length: rng.int(20, 400), ...extra });
    const sentAt = t + rng.int(300, 1500);
    const statuses = [["sent", sentAt]];
    if (rng.chance(0.03)) statuses.push(["failed", sentAt + rng.int(1000, 20_000)]);
    else {
      const delivered = sentAt + rng.around(4 * SECOND);
      statuses.push(["delivered", delivered]);
      if (rng.chance(0.8)) statuses.push(["read", delivered + rng.around(2 * MINUTE, 1.2)]);
    }
    for (const [status, when] of statuses) {
      const s = {
        id,
        status,
        timestamp: String(Math.floor(when / 1000)),
        ...recipient,
        conversation: { id: rng.hex(32), origin: { type: extra.template ? "marketing" : "service" } },
      };
      // Meta echoes the tag the business set when sending a template.
      if (extra.campaign) s.biz_opaque_callback_data = extra.campaign;
      if (status === "failed")
        s.errors = [
          {
            code: 131047,
            title: "Re-engagement message",
            message: "Re-engagement message",
            error_data: {
              details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
            },
          },
        ];
      actions.push({ at: when, kind: "meta", change: { statuses: [s] } });
    }
  };

  // The customer sorts it out and closes the chat: the CRM's reason names them, so the cycle is resolved_by customer.
  const customerCloses = () => {
    inbound(rng.pick(INBOUND_TEXTS.closing));
    at(rng.between(5 * SECOND, 40 * SECOND));
    crm("conversation_resolved", { reason: "customer_closed" });
  };

  const conversations = 1 + (rng.chance(0.25) ? 1 : 0);
  for (let c = 0; c < conversations; c++) {
    if (rng.chance(0.15)) {
      // A campaign template first; about half of those reached reply.
      outbound("bot_response", { template: "filing_deadline_reminder", campaign: "june_deadline" });
      if (rng.chance(0.5)) continue;
      at(rng.around(25 * MINUTE, 1.2));
    }
    crm("conversation_started");
    inbound(rng.pick(INBOUND_TEXTS.opener), rng.chance(0.15) ? "interactive" : "text");
    at(rng.between(800, 4000));
    outbound("bot_response", {});
    for (let r = rng.int(0, 2); r > 0; r--) {
      at(rng.around(50 * SECOND));
      inbound(rng.pick(INBOUND_TEXTS.reply), rng.chance(0.08) ? "image" : "text");
      at(rng.between(800, 3000));
      outbound("bot_response", {});
    }
    if (!contact.linked && rng.chance(0.4)) {
      // The bot sends a link to the web form; most open it.
      actions.push({ at: t, kind: "handshake" });
      at(rng.between(500, 1500));
      outbound("bot_response", {});
      if (rng.chance(0.8)) {
        at(rng.around(60 * SECOND));
        crm("webview_opened");
        actions.push({ at: t, kind: "web" });
        contact.linked = true;
        at(rng.around(6 * MINUTE));
      }
    }
    if (rng.chance(0.03)) {
      at(rng.around(2 * MINUTE));
      inbound("STOP");
      break;
    }
    if (rng.chance(0.42)) {
      at(rng.around(40 * SECOND));
      inbound("I want to talk to a person");
      at(rng.between(800, 2500));
      // Often the bot acknowledges first: the customer is still waiting for a person, and the agent's first reply is timed from the message.
      if (rng.chance(0.6)) outbound("bot_response", {}), at(rng.between(300, 1500));
      crm("handoff_requested", { team: "filing_support" });
      const queued = t;
      at(rng.around(4 * MINUTE, 1.1));
      const waited = t - queued;
      const agent = rng.pick(AGENTS);
      crm("agent_assigned", { agent_id: agent, team: "filing_support" });
      for (let m = rng.int(1, 4); m > 0; m--) {
        at(rng.around(50 * SECOND));
        // Now and then the agent answers from the Business app on the office phone instead of the helpdesk.
        if (rng.chance(0.1)) echo();
        else outbound("agent_message", { agent_id: agent });
        if (m > 1) at(rng.around(90 * SECOND)), inbound(rng.pick(INBOUND_TEXTS.reply));
      }
      if (rng.chance(0.88)) {
        at(rng.around(3 * MINUTE));
        crm("conversation_resolved", { agent_id: agent });
        // A thank-you within the grace window (10 min): a follow-up, not a reopen.
        if (rng.chance(0.5)) at(rng.between(30 * SECOND, 8 * MINUTE)), inbound(rng.pick(["Thanks!", "thank you", "Asante sana", "ok 👍"]));
        survey(agent, waited);
      } else if (rng.chance(0.5)) {
        // Answered, the customer closes the chat before the agent does.
        at(rng.around(5 * MINUTE));
        customerCloses();
      }
      // The rest stay open until the conversation's idle alarm closes them (resolved_by idle, nobody's activity).
    } else if (rng.chance(0.6)) {
      at(rng.around(2 * MINUTE));
      crm("conversation_resolved");
      survey("bot", 0);
    } else if (rng.chance(0.75)) {
      // Most of the rest: the customer got what they needed and closes the chat (resolved_by customer).
      at(rng.around(90 * SECOND));
      customerCloses();
    }
    t += rng.between(1.5 * DAY, 9 * DAY);
  }
  return actions.filter((a) => a.at <= until).sort((a, b) => a.at - b.at);
}
