import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { agentAvailabilitySchema, errorSchema, type AvailabilityFigures } from "../../workers/contract";
import { readJson, waitFor } from "./helpers";
import { postCrm } from "./webhooks-helpers";
import { call, crm, sendCrm, supportProject, waitForCycles, waitForRows } from "./support-helpers";

const MIN = 60_000;
// The range: six whole hours, ending an hour ago (so "now" plays no part unless a test asks for it).
const R = Math.floor((Date.now() - 7 * 3_600_000) / MIN) * MIN;
const at = (minutes: number) => R + minutes * MIN;
const END = at(360);
const iso = (t: number) => new Date(t).toISOString();

type Status = "online" | "away" | "offline";
/** Hand-built status changes (minutes from R; negative: before the range). */
const CHANGES: Record<string, [number, Status][]> = {
  ann: [
    [-600, "online"],
    [60, "away"],
    [120, "online"],
    [300, "offline"],
  ],
  ben: [
    [-30, "offline"],
    [180, "online"],
  ],
  // Last seen online long before the range: online the whole range.
  cy: [[-2000, "online"]],
};
/** Cycles an agent held: [assigned, resolved | null, resolved_by the agent?] in minutes from R. */
const HELD: Record<string, [number, number | null, boolean][]> = {
  ann: [
    [-60, 10, true], // started before the range: clipped to R
    [30, 90, true], // half of it while away
    [130, 160, true], // these two overlap: counted once
    [140, 180, true],
    [290, 330, false], // she goes offline at 300; the customer leaves at 330
  ],
  ben: [[200, null, false]], // still open at the range's end
  cy: [],
};

/** Status at minute m (the last change at or before it), null before the first. */
function statusAt(agent: string, m: number): Status | null {
  const past = CHANGES[agent].filter(([t]) => t <= m);
  return past.length ? past[past.length - 1][1] : null;
}

/**
 * The figures by sampling every minute of [from, to) (all times are whole minutes), written apart
 * from the interval arithmetic the API uses.
 */
function truth(agents: string[], from: number, to: number): AvailabilityFigures {
  let online = 0,
    away = 0,
    offline = 0,
    busy = 0,
    resolutions = 0;
  for (const a of agents) {
    for (let m = from; m < to; m++) {
      const s = statusAt(a, m + 0.5);
      if (s === "online") online++;
      if (s === "away") away++;
      if (s === "offline") offline++;
      if (s === "online" && HELD[a].some(([start, stop]) => start <= m && m < (stop ?? Infinity))) busy++;
    }
    resolutions += HELD[a].filter(([, stop, mine]) => mine && stop !== null && stop >= from && stop < to).length;
  }
  return {
    online_s: online * 60,
    away_s: away * 60,
    offline_s: offline * 60,
    busy_s: busy * 60,
    occupancy: online ? Math.round((busy / online) * 10_000) / 10_000 : null,
    resolutions,
    handled_per_online_hour: online ? Math.round((resolutions / (online / 60)) * 10_000) / 10_000 : null,
  };
}

describe("GET /agents/availability", { timeout: 90_000 }, () => {
  let project = "";

  beforeAll(async () => {
    project = await supportProject("avail");
    const statuses = Object.entries(CHANGES).flatMap(([agent, list]) =>
      list.map(([m, status]) => crm("agent_status", at(m), { agent_id: agent, status })),
    );
    let n = 0;
    const cycles = Object.entries(HELD).flatMap(([agent, list]) =>
      list.flatMap(([start, stop, mine]) => {
        const phone = `+2547220001${String(n++).padStart(2, "0")}`;
        return [
          crm("message_received", at(start) - 30_000, { phone }),
          crm("agent_assigned", at(start), { phone, agent_id: agent }),
          ...(stop === null
            ? []
            : [crm("conversation_resolved", at(stop), mine ? { phone, agent_id: agent } : { phone, reason: "customer_closed" })]),
        ];
      }),
    );
    await sendCrm(project, [...statuses, ...cycles]);
    await waitForRows("agent_status_changes", project, statuses.length);
    await waitForCycles(project, n, "assigned_at IS NOT NULL");
    await waitForCycles(project, n - 1, "resolved_at IS NOT NULL");
  });

  const get = async (from: number, to: number) => {
    const res = await call(`/api/projects/${project}/agents/availability?from=${iso(from)}&to=${iso(to)}`);
    expect(res.status).toBe(200);
    return readJson(res, agentAvailabilitySchema);
  };

  it("reports online, away and offline time, occupancy and resolutions per online hour, clipping to the range", async () => {
    const body = await get(R, END);
    expect(body.agents.map((a) => a.agent_id)).toEqual(["ann", "ben", "cy"]);
    for (const a of body.agents) {
      const { agent_id, status, ...figures } = a;
      expect(figures, agent_id).toEqual(truth([agent_id], 0, 360));
      expect(status).toBe(statusAt(agent_id, 360));
    }
    expect(body.overall).toEqual(truth(["ann", "ben", "cy"], 0, 360));
    // ann by hand: online 1 h + 3 h; busy 10 + 30 + 50 + 10 min; four resolutions.
    expect(body.agents[0]).toMatchObject({
      online_s: 4 * 3600,
      away_s: 3600,
      offline_s: 3600,
      busy_s: 100 * 60,
      occupancy: 0.4167,
      resolutions: 4,
      handled_per_online_hour: 1,
    });
    expect(body).toMatchObject({ from: iso(R), to: iso(END) });
  });

  it("clips a range that starts in the middle of a status and of a conversation", async () => {
    const body = await get(at(45), at(150));
    for (const a of body.agents) {
      const { agent_id, status: _, ...figures } = a;
      expect(figures, agent_id).toEqual(truth([agent_id], 45, 150));
    }
  });

  it("runs the last status to now when the range reaches into the future", async () => {
    const body = await get(R, Date.now() + 3_600_000);
    const to = Date.parse(body.to);
    expect(to).toBeLessThanOrEqual(Date.now());
    expect(to).toBeGreaterThan(END);
    const cy = body.agents.find((a) => a.agent_id === "cy")!;
    expect(cy.online_s).toBe((to - R) / 1000);
    const ben = body.agents.find((a) => a.agent_id === "ben")!;
    // ben's open conversation keeps him busy for as long as he stays online.
    expect(ben.busy_s).toBe((to - at(200)) / 1000);
    expect(ben.online_s).toBe((to - at(180)) / 1000);
  });

  it("leaves out agents with no known status in the range", async () => {
    const body = await get(at(-3000), at(-2500));
    expect(body.agents).toEqual([]);
    expect(body.overall).toMatchObject({ online_s: 0, occupancy: null, handled_per_online_hour: null });
  });

  it("keeps one change per agent and time; a corrected status replaces it", async () => {
    const other = await supportProject("avail2");
    const t = at(0);
    await sendCrm(other, [crm("agent_status", t, { agent_id: "dee", status: "online" })]);
    await waitForRows("agent_status_changes", other, 1);
    await sendCrm(other, [crm("agent_status", t, { agent_id: "dee", status: "away" })]);
    await waitFor(
      async () =>
        (await env.DB.prepare("SELECT status FROM agent_status_changes WHERE project_id = ?").bind(other).first<{ status: string }>())
          ?.status === "away",
      30_000,
    );
    const res = await call(`/api/projects/${other}/agents/availability?from=${iso(t)}&to=${iso(t + 3_600_000)}`);
    const body = await readJson(res, agentAvailabilitySchema);
    expect(body.agents).toEqual([{ agent_id: "dee", status: "away", ...truthFlat(0, 3600, 0) }]);
  });

  it("answers 400 for a bad range", async () => {
    const res = await call(`/api/projects/${project}/agents/availability?from=${iso(END)}&to=${iso(R)}`);
    expect(res.status).toBe(400);
    expect((await readJson(res, errorSchema)).error).toBe("invalid_range");
    const bad = await postCrm({ project, events: [crm("agent_status", R, { agent_id: "ann", status: "lunch" })] });
    expect(bad.status).toBe(400);
  });
});

/** Figures of an agent never online. */
function truthFlat(online: number, away: number, offline: number): AvailabilityFigures {
  return { online_s: online, away_s: away, offline_s: offline, busy_s: 0, occupancy: null, resolutions: 0, handled_per_online_hour: null };
}
