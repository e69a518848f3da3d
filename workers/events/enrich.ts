import { isbot } from "isbot";
import UAParser from "ua-parser-js";
import type { EventMessage, EventRecord } from "../contract";

// Bot Management scores below 30 are "likely automated" in Cloudflare's own scale.
const BOT_SCORE_THRESHOLD = 30;

const parsed = new Map<string, Pick<EventRecord, "browser" | "os" | "device_type" | "is_bot">>();

/** Device, browser, OS and bot flag from the User-Agent (memoized: a batch repeats few UAs). */
function parseUserAgent(ua: string) {
  let hit = parsed.get(ua);
  if (!hit) {
    const r = new UAParser(ua).getResult();
    hit = {
      browser: r.browser.name ?? null,
      os: r.os.name ?? null,
      // ua-parser leaves device.type empty for desktops.
      device_type: r.device.type ?? "desktop",
      is_bot: isbot(ua),
    };
    if (parsed.size > 1000) parsed.clear();
    parsed.set(ua, hit);
  }
  return hit;
}

/** The stored record for a message: the UA becomes device/browser/os/is_bot and is then dropped. */
export function enrich(m: EventMessage): EventRecord {
  const e = { ...m.event };
  if (m.user_agent) Object.assign(e, parseUserAgent(m.user_agent));
  if (m.verified_bot || (m.bot_score != null && m.bot_score < BOT_SCORE_THRESHOLD)) e.is_bot = true;
  return e;
}
