import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { DIMENSION_NAMES } from "../../workers/lib/filters";
import { batch, capture, countEvents, waitFor } from "./helpers";
import { BOT_UA, getJson, ingest, MOBILE_UA, newProject, type Ev } from "./stats-fixture";
import { breakdownSchema, overviewSchema } from "../../workers/contract";

// A pseudo-random but reproducible data set: 40 visitors over 3 days, web and WhatsApp, some bots.
function dataSet(): Ev[] {
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const start = Date.parse("2026-09-01T00:00:00Z");
  const evs: Ev[] = [];
  for (let v = 0; v < 40; v++) {
    const whatsapp = v % 5 === 0;
    for (let s = 0; s < 1 + rnd(3); s++) {
      let ts = start + rnd(72) * 3_600_000 + rnd(3_600_000);
      for (let i = 0; i < 1 + rnd(5); i++, ts += rnd(600_000)) {
        const base = { ts, props: { journey: ["MRI", "TOT", "NIL"][rnd(3)] } };
        evs.push(
          whatsapp
            ? {
                ...base,
                name: ["message_received", "message_sent"][rnd(2)],
                channel: "whatsapp",
                ext: `+2547000000${v}`,
                conv: `wa:${v}:${s}`,
              }
            : {
                ...base,
                name: ["page_view", "page_view", "return_started"][rnd(3)],
                anon: `v${v}`,
                session: `v${v}s${s}`,
                path: ["/", "/returns/mri", "/returns/tot"][rnd(3)],
                country: ["KE", "UG", "TZ"][rnd(3)],
                utm_source: [undefined, "google", "facebook"][rnd(3)],
                ua: v % 7 === 0 ? BOT_UA : v % 2 ? MOBILE_UA : undefined,
              },
        );
      }
    }
  }
  return evs;
}

let project: Awaited<ReturnType<typeof newProject>>;
const get = (path: string) =>
  getJson(`/api/projects/${project.id}/stats/${path}`, project.auth, path.startsWith("overview") ? overviewSchema : breakdownSchema);
const strip = ({ source: _s, ...rest }: any) => rest;

beforeAll(async () => {
  project = await newProject("rollups");
  await ingest(project.id, dataSet());
}, 60_000);

const RANGES = [
  "from=2026-09-01&to=2026-09-03&tz=Africa/Nairobi&interval=day",
  "from=2026-09-01&to=2026-09-02&tz=Asia/Kathmandu&interval=hour",
  "from=2026-08-25&to=2026-09-10&tz=America/New_York&interval=week",
  "from=2026-09-01T06:15:00Z&to=2026-09-02T18:45:00Z&tz=UTC&interval=hour",
];
const FILTERS = ["", "channel=web", "channel=whatsapp", "include_bots=true", "channel=web&include_bots=true"];

import { WEB_ONLY_DIMENSIONS } from "../../workers/rollups/dimensions";

describe("rollups answer exactly what a raw scan answers", () => {
  it.each(RANGES.flatMap((r) => FILTERS.map((f) => [r, f])))("overview %s %s", async (range, filter) => {
    const rollups = await get(`overview?${range}&${filter}&source=rollups`);
    const raw = await get(`overview?${range}&${filter}&source=raw`);
    expect(rollups.status).toBe(200);
    expect(rollups.body.source).toBe("rollups");
    expect(rollups.body.totals.events).toBeGreaterThan(0);
    expect(strip(rollups.body)).toEqual(strip(raw.body));
  });

  it.each(FILTERS)("breakdown of every dimension %s", async (filter) => {
    for (const d of DIMENSION_NAMES) {
      const q = `breakdown?dimension=${d}&limit=50&from=2026-09-01&to=2026-09-03&tz=Africa/Nairobi&${filter}`;
      const rollups = await get(q + "&source=rollups");
      const raw = await get(q + "&source=raw");
      // A web-only dimension (page, referrer, UTM, device…) has no rows for WhatsApp rather than a `(none)` row.
      if (filter.includes("channel=whatsapp") && WEB_ONLY_DIMENSIONS.has(d)) expect(rollups.body.rows, d).toEqual([]);
      else expect(rollups.body.rows.length, d).toBeGreaterThan(0);
      if (!filter.includes("channel=") && d === "path")
        expect(
          rollups.body.rows.every((r: { value: string | null }) => r.value !== null),
          d,
        ).toBe(true);
      expect(strip(rollups.body), d).toEqual(strip(raw.body));
    }
  });

  it("never counts a redelivered event twice", async () => {
    const q = "overview?from=2026-09-20&to=2026-09-20&source=rollups";
    const e = {
      event_id: crypto.randomUUID(),
      event: "page_view",
      timestamp: "2026-09-20T10:00:00Z",
      anonymous_id: "dup",
      session_id: "dup-s",
    };
    await capture(batch([e], project.id));
    await waitFor(() => countEvents("event_id = ?", e.event_id));
    const marker = { ...e, event_id: crypto.randomUUID(), timestamp: "2026-09-21T10:00:00Z" };
    // The same event again, in one batch with a marker we can wait for.
    await capture(batch([e, marker], project.id));
    await waitFor(() => countEvents("event_id = ?", marker.event_id));
    const { body } = await get(q);
    expect(body.totals).toMatchObject({ events: 1, pageviews: 1, visitors: 1, sessions: 1 });
    const row = await env.DB.prepare("SELECT pageviews, events FROM rollup_sessions WHERE project_id = ? AND session_key = 'dup-s'")
      .bind(project.id)
      .first();
    expect(row).toEqual({ pageviews: 2, events: 2 });
  });
});
