import { describe, expect, it } from "vitest";
import { campaignSettingsSchema } from "../../workers/contract";
import { batchSize, concurrency, pickVariant, quietUntil } from "../../workers/campaigns/rules";

const settings = (over: Record<string, unknown> = {}) => campaignSettingsSchema.parse(over);
const at = (iso: string) => Date.parse(iso);

describe("quietUntil", () => {
  // Default window 21:00–08:00, spanning midnight.
  it.each([
    ["inside, before midnight (UTC 22:30)", "2026-03-10T22:30:00Z", "UTC", "2026-03-11T08:00:00Z"],
    ["inside, after midnight (UTC 03:15)", "2026-03-10T03:15:00Z", "UTC", "2026-03-10T08:00:00Z"],
    ["outside (UTC 12:00)", "2026-03-10T12:00:00Z", "UTC", null],
    ["at the end minute (08:00) the window is over", "2026-03-10T08:00:00Z", "UTC", null],
    ["at the start minute (21:00) it holds", "2026-03-10T21:00:00Z", "UTC", "2026-03-11T08:00:00Z"],
    // Nairobi is UTC+3: 19:30 UTC is 22:30 local; 08:00 local is 05:00 UTC.
    ["in the recipient's zone (Nairobi 22:30)", "2026-03-10T19:30:00Z", "Africa/Nairobi", "2026-03-11T05:00:00Z"],
    // New York on 2026-03-08 switches to UTC-4 at 02:00: 08:00 local is 12:00 UTC that day.
    ["across a DST change (New York)", "2026-03-08T06:30:00Z", "America/New_York", "2026-03-08T12:00:00Z"],
    // …and back to UTC-5 on 2026-11-01 at 02:00: 08:00 local is 13:00 UTC.
    ["across the DST change back (New York)", "2026-11-01T05:30:00Z", "America/New_York", "2026-11-01T13:00:00Z"],
  ])("%s", (_, now, zone, until) => {
    const r = quietUntil(at(now), zone, settings());
    expect(r === null ? null : new Date(r).toISOString()).toBe(until === null ? null : new Date(until).toISOString());
  });

  it("uses the project's default zone for an unknown or missing zone, and nothing without quiet hours", () => {
    const s = settings({ default_timezone: "Africa/Nairobi" });
    expect(quietUntil(at("2026-03-10T19:30:00Z"), null, s)).toBe(at("2026-03-11T05:00:00Z"));
    expect(quietUntil(at("2026-03-10T19:30:00Z"), "Not/AZone", s)).toBe(at("2026-03-11T05:00:00Z"));
    expect(quietUntil(at("2026-03-10T22:30:00Z"), "UTC", settings({ quiet_hours: null }))).toBeNull();
  });

  it("handles a window within one day (13:00–14:00)", () => {
    const s = settings({ quiet_hours: { start: "13:00", end: "14:00" } });
    expect(quietUntil(at("2026-03-10T13:20:00Z"), "UTC", s)).toBe(at("2026-03-10T14:00:00Z"));
    expect(quietUntil(at("2026-03-10T14:20:00Z"), "UTC", s)).toBeNull();
  });
});

describe("pickVariant", () => {
  const variants = [
    { name: "A", weight: 1 },
    { name: "B", weight: 3 },
  ];

  it("assigns a person the same variant every time", () => {
    expect(pickVariant(variants, "c1", "x:+254700000001").name).toBe(pickVariant(variants, "c1", "x:+254700000001").name);
  });

  it("splits people in proportion to the weights (1:3 within 2 points over 4,000 people)", () => {
    let a = 0;
    for (let i = 0; i < 4000; i++) if (pickVariant(variants, "campaign-1", `a:person-${i}`).name === "A") a++;
    expect(Math.abs(a / 4000 - 0.25)).toBeLessThan(0.02);
  });
});

describe("pacing", () => {
  it.each([
    [0.5, 10, 1],
    [1, 20, 1],
    [5, 100, 1],
    [10, 100, 2],
    [80, 100, 16],
    [500, 100, 50],
  ])("at %s/s: batches of %s, %s call(s) in flight", (rate, batch, inFlight) => {
    expect([batchSize(rate), concurrency(rate)]).toEqual([batch, inFlight]);
  });
});
