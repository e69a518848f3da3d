import { describe, expect, it } from "vitest";
import { alignedRange, rangeDates, type AlignedRange, type RangeInput } from "../../dashboard/src/lib/range";

const QUARTER = 15 * 60_000;
const at = (iso: string) => Date.parse(iso);
const ok = (input: RangeInput, now: number): AlignedRange => {
  const r = alignedRange(input, now);
  if ("error" in r) throw new Error(r.error);
  return r;
};

describe("dashboard ranges aligned for rollups", () => {
  it("starts a 30-day range at local midnight in the selected zone and ends at the next quarter hour", () => {
    const r = ok({ range: "30d", interval: "day", tz: "Africa/Nairobi" }, at("2026-03-15T10:07:00Z"));
    // Nairobi is UTC+3: local midnight of 2026-02-13 is 21:00 UTC the day before.
    expect(r).toMatchObject({ from: "2026-02-12T21:00:00.000Z", to: "2026-03-15T10:15:00.000Z", interval: "day" });
  });

  it("uses the selected zone's date, not the browser's, near midnight", () => {
    // 23:30 UTC on 14 March is already 15 March in Nairobi and still 14 March in New York.
    const now = at("2026-03-14T23:30:00Z");
    expect(ok({ range: "7d", interval: "day", tz: "Africa/Nairobi" }, now).from).toBe("2026-03-07T21:00:00.000Z");
    expect(ok({ range: "7d", interval: "day", tz: "America/New_York" }, now).from).toBe("2026-03-07T05:00:00.000Z");
  });

  it("keeps a range that spans a DST change on local midnight", () => {
    // New York springs forward on 8 March 2026: today is EDT (−4), seven days ago was EST (−5).
    const r = ok({ range: "7d", interval: "week", tz: "America/New_York" }, at("2026-03-10T16:01:00Z"));
    expect(r.from).toBe("2026-03-03T05:00:00.000Z");
    expect(r.to).toBe("2026-03-10T16:15:00.000Z");
  });

  it("keeps 'now' when it already is a quarter hour", () => {
    expect(ok({ range: "30d", interval: "day", tz: "UTC" }, at("2026-03-15T10:15:00Z")).to).toBe("2026-03-15T10:15:00.000Z");
  });

  it("draws 24 hours by hour from one quarter hour to another", () => {
    const r = ok({ range: "24h", interval: "day", tz: "Asia/Kolkata" }, at("2026-03-15T10:07:12Z"));
    expect(r).toMatchObject({ from: "2026-03-14T10:15:00.000Z", to: "2026-03-15T10:15:00.000Z", interval: "hour" });
  });

  it("falls back from hours to days past 41 days (the API caps a series at 1,000 buckets)", () => {
    expect(ok({ range: "30d", interval: "hour", tz: "UTC" }, at("2026-03-15T10:07:00Z"))).toMatchObject({
      interval: "hour",
      from: "2026-02-13T10:15:00.000Z",
    });
    expect(ok({ range: "90d", interval: "hour", tz: "UTC" }, at("2026-03-15T10:07:00Z"))).toMatchObject({
      interval: "day",
      from: "2025-12-15T00:00:00.000Z",
    });
  });

  it.each([
    ["spring forward (23 hours)", "2026-03-08", "2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z"],
    ["fall back (25 hours)", "2026-11-01", "2026-11-01T04:00:00.000Z", "2026-11-02T05:00:00.000Z"],
  ])("makes a custom day on a DST change whole local day: %s", (_, day, from, to) => {
    expect(ok({ range: "custom", from: day, to: day, interval: "day", tz: "America/New_York" }, at("2026-12-01T00:00:00Z"))).toMatchObject({
      from,
      to,
      days: 1,
    });
  });

  it("makes a custom range run from midnight of `from` to midnight after `to` in a half-hour zone", () => {
    const r = ok(
      { range: "custom", from: "2026-01-01", to: "2026-01-31", interval: "week", tz: "Asia/Kolkata" },
      at("2026-03-01T00:00:00Z"),
    );
    expect(r).toMatchObject({ from: "2025-12-31T18:30:00.000Z", to: "2026-01-31T18:30:00.000Z", days: 31, interval: "week" });
    expect(rangeDates(r, "Asia/Kolkata")).toEqual({ from: "2026-01-01", to: "2026-01-31" });
  });

  it.each([
    ["a reversed range", { from: "2026-02-10", to: "2026-02-01" }, /start date is after the end date/],
    ["an impossible date", { from: "2026-02-30", to: "2026-03-01" }, /real days/],
    ["more than 400 days", { from: "2024-01-01", to: "2026-01-01" }, /at most 400 days/],
  ])("refuses %s with one message", (_, dates, message) => {
    const r = alignedRange({ range: "custom", interval: "day", tz: "UTC", ...dates }, at("2026-03-01T00:00:00Z"));
    expect("error" in r && r.error).toMatch(message);
  });

  it("answers only quarter-hour instants, whatever the zone, preset and time of day", () => {
    const zones = [
      "UTC",
      "Africa/Nairobi",
      "America/New_York",
      "Asia/Kolkata",
      "Asia/Kathmandu",
      "Australia/Lord_Howe",
      "America/St_Johns",
    ];
    for (const tz of zones)
      for (const range of ["24h", "7d", "30d", "90d"] as const)
        for (let now = at("2026-01-01T00:00:00Z"); now < at("2027-01-01T00:00:00Z"); now += 86_400_000 * 7 + 3_600_000 + 17_000) {
          const r = ok({ range, interval: "day", tz }, now);
          expect(Date.parse(r.from) % QUARTER, `${tz} ${range} ${new Date(now).toISOString()}`).toBe(0);
          expect(Date.parse(r.to) % QUARTER).toBe(0);
          expect(Date.parse(r.to)).toBeGreaterThanOrEqual(now);
        }
  });
});
