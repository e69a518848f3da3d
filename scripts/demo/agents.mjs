// Agents' availability as the helpdesk reports it (CRM `agent_status`): shifts in Nairobi time on
// working days, a lunch break away, the odd short away, offline otherwise.
import { AGENTS } from "./catalog.mjs";
import { DAY, HOUR, MINUTE } from "./clock.mjs";

const NAIROBI_OFFSET = 3 * HOUR;
/** Each agent's shift: local start and end hour (an early and a late shift, and one in between). */
const SHIFTS = { agent_amina: [7, 15], agent_brian: [8, 16], agent_chao: [13, 21], agent_diana: [14, 22], agent_esther: [9, 18] };

/**
 * `agent_status` CRM events for every agent over the last `days` before `now` (nothing after it:
 * an agent in their shift now is still online).
 */
export function agentStatusEvents(rng, now, days) {
  const events = [];
  const firstDay = Math.floor((now + NAIROBI_OFFSET) / DAY) - days;
  for (const agent of AGENTS) {
    const [from, to] = SHIFTS[agent] ?? [9, 17];
    const status = (at, s) =>
      at <= now &&
      events.push({
        id: `demo-status-${agent}-${at}`,
        type: "agent_status",
        occurred_at: new Date(at).toISOString(),
        agent_id: agent,
        status: s,
      });
    for (let d = firstDay; d <= firstDay + days; d++) {
      const midnight = d * DAY - NAIROBI_OFFSET;
      const weekday = new Date(d * DAY).getUTCDay();
      if (weekday === 0 || (weekday === 6 && !rng.chance(0.3)) || rng.chance(0.05)) continue; // Sundays, most Saturdays, a day off
      const start = midnight + from * HOUR + rng.int(-10, 15) * MINUTE;
      const end = midnight + to * HOUR + rng.int(-5, 30) * MINUTE;
      // Breaks (away, then back online) that end before the shift does.
      const breaks = [[start + rng.int(3 * HOUR, 4 * HOUR), rng.int(30, 60) * MINUTE]];
      if (rng.chance(0.4)) breaks.push([breaks[0][0] + breaks[0][1] + rng.int(60, 120) * MINUTE, rng.int(5, 20) * MINUTE]);
      status(start, "online");
      for (const [at, length] of breaks) if (at + length < end) status(at, "away"), status(at + length, "online");
      status(end, "offline");
    }
  }
  return events.sort((a, b) => a.occurred_at.localeCompare(b.occurred_at));
}
