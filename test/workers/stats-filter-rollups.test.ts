import { beforeAll, describe, expect, it } from "vitest";
import { alignedRange, PRESETS, type Interval, type RangeKey } from "../../dashboard/src/lib/range";
import { breakdownSchema, overviewSchema, statsValuesSchema } from "../../workers/contract";
import { BOT_UA, getJson, ingest, MOBILE_UA, newProject, type Ev } from "./stats-fixture";

/**
 * The dashboard's views answer from rollups: every range the UI sends (its own `alignedRange`) and
 * the most used filters (one of country, device, UTM, page, with channel and bots), with exactly
 * the numbers a raw scan gives.
 */
function dataSet(now: number): Ev[] {
  let seed = 11;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const evs: Ev[] = [];
  for (let v = 0; v < 30; v++) {
    const whatsapp = v % 6 === 0;
    for (let s = 0; s < 1 + rnd(3); s++) {
      // Spread over the last 10 days, the current partial quarter hour excluded. Conversations end
      // at least two days ago, so they are resolved (idle for a day) before the numbers are read.
      let ts = now - (whatsapp ? 2 * 86_400_000 : 15 * 60_000) - rnd(8 * 24) * 3_600_000 - rnd(3_600_000);
      for (let i = 0; i < 1 + rnd(4); i++, ts += rnd(300_000)) {
        evs.push(
          whatsapp
            ? { name: ["message_received", "message_sent"][rnd(2)], ts, channel: "whatsapp", ext: `+2547000001${v}`, conv: `fw:${v}:${s}` }
            : {
                name: ["page_view", "page_view", "return_started"][rnd(3)],
                ts,
                anon: `f${v}`,
                session: `f${v}s${s}`,
                path: ["/", "/returns/mri", "/returns/tot"][rnd(3)],
                country: ["KE", "UG"][(v >> 1) % 2],
                utm_source: [undefined, "google", "facebook"][rnd(3)],
                ua: v % 7 === 3 ? BOT_UA : v % 2 ? MOBILE_UA : undefined,
              },
        );
      }
    }
  }
  return evs;
}

let project: Awaited<ReturnType<typeof newProject>>;
const NOW = Date.now();
const get = (path: string, schema: Parameters<typeof getJson>[2]) =>
  getJson(`/api/projects/${project.id}/stats/${path}`, project.auth, schema);
const strip = ({ source: _s, ...rest }: any) => rest;

beforeAll(async () => {
  project = await newProject("frollups");
  await ingest(project.id, dataSet(NOW));
}, 60_000);

const TZS = ["UTC", "Africa/Nairobi", "Asia/Kathmandu", "America/New_York"];
/** The ranges the dashboard sends: every preset and interval, and a custom range, in several zones. */
const VIEWS = TZS.flatMap((tz) => [
  ...(Object.keys(PRESETS) as RangeKey[]).flatMap((range) =>
    (["hour", "day", "week", "month"] as Interval[]).map((interval) => ({ range, interval, tz })),
  ),
  {
    range: "custom" as const,
    from: new Date(NOW - 9 * 86_400_000).toISOString().slice(0, 10),
    to: new Date(NOW).toISOString().slice(0, 10),
    interval: "day" as Interval,
    tz,
  },
]).map((input) => {
  const r = alignedRange(input, NOW);
  if ("error" in r) throw new Error(r.error);
  return `from=${r.from}&to=${r.to}&tz=${encodeURIComponent(input.tz)}&interval=${r.interval}`;
});
const PANELS = [
  "path",
  "referrer",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "country",
  "region",
  "city",
  "device_type",
  "browser",
  "os",
  "channel_type",
  "event_name",
];

describe("default dashboard views answer from rollups", () => {
  it.each([...new Set(VIEWS)])("overview %s", async (q) => {
    const { status, body } = await get(`overview?${q}`, overviewSchema);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.source).toBe("rollups");
  });

  it.each(TZS)("breakdown panels and suggestions, 30 days in %s", async (tz) => {
    const r = alignedRange({ range: "30d", interval: "day", tz }, NOW) as { from: string; to: string };
    const q = `from=${r.from}&to=${r.to}&tz=${encodeURIComponent(tz)}`;
    for (const d of PANELS) {
      const { body } = await get(`breakdown?${q}&dimension=${d}&limit=10`, breakdownSchema);
      expect(body.source, d).toBe("rollups");
      expect((await get(`values?${q}&dimension=${d}`, statsValuesSchema)).body.source, d).toBe("rollups");
    }
  });
});

const FILTERS = [
  "country=KE",
  "country=UG&channel=web",
  "device_type=mobile",
  "device_type=desktop&include_bots=true",
  "utm_source=google",
  "utm_source=facebook&channel=web",
  "path=/returns/mri",
  "path=/&include_bots=true",
  "utm_medium=none",
  "utm_campaign=none",
];

describe("filtered overviews answer from rollups, exactly as a raw scan", () => {
  it.each(FILTERS.flatMap((f) => [VIEWS[1], VIEWS[VIEWS.length - 1], VIEWS[VIEWS.length - 12]].map((v) => [f, v])))(
    "%s over %s",
    async (filter, view) => {
      const rollups = await get(`overview?${view}&${filter}`, overviewSchema);
      const raw = await get(`overview?${view}&${filter}&source=raw`, overviewSchema);
      expect(rollups.status, JSON.stringify(rollups.body)).toBe(200);
      expect(rollups.body.source).toBe("rollups");
      expect(strip(rollups.body)).toEqual(strip(raw.body));
      if (!filter.includes("none")) expect(rollups.body.totals.events).toBeGreaterThan(0);
    },
  );

  it("two rollup filters, or a property filter, still scan", async () => {
    expect((await get(`overview?${VIEWS[1]}&country=KE&path=/`, overviewSchema)).body.source).toBe("raw");
    expect((await get(`overview?${VIEWS[1]}&prop.journey=MRI`, overviewSchema)).body.source).toBe("raw");
    expect((await get(`breakdown?${VIEWS[1]}&country=KE&dimension=path`, breakdownSchema)).body.source).toBe("raw");
  });
});
