import { describe, expect, it } from "vitest";
import { localBuckets, parseFilters, tzOffset } from "../../workers/lib/filters";
import { aeSql, aeString } from "../../workers/rollups/stats/analytics-engine";

const H = 3_600_000;
const T = (iso: string) => Date.parse(iso);

describe("local buckets", () => {
  it("gives New York a 25-hour day when daylight saving time ends", () => {
    const f = parseFilters({ from: "2026-10-31", to: "2026-11-02", tz: "America/New_York" });
    expect(f.from).toBe(T("2026-10-31T04:00:00Z"));
    expect(f.to).toBe(T("2026-11-03T05:00:00Z"));
    const days = localBuckets(f.from, f.to, f.tz, "day");
    expect(days.map((d) => [d.label, (d.end - d.start) / H])).toEqual([
      ["2026-10-31", 24],
      ["2026-11-01", 25],
      ["2026-11-02", 24],
    ]);
    const hours = localBuckets(T("2026-11-01T04:00:00Z"), T("2026-11-02T05:00:00Z"), f.tz, "hour");
    // 01:00 happens twice; labels stay unique, so the repeated hour is one two-hour bucket.
    expect(hours).toHaveLength(24);
    expect(hours.slice(0, 3).map((h) => [h.label, (h.end - h.start) / H])).toEqual([
      ["2026-11-01T00:00", 1],
      ["2026-11-01T01:00", 2],
      ["2026-11-01T02:00", 1],
    ]);
  });

  it("cuts days on the quarter hour for +05:45 (Asia/Kathmandu)", () => {
    const f = parseFilters({ from: "2026-10-01", to: "2026-10-01", tz: "Asia/Kathmandu" });
    expect(f.from).toBe(T("2026-09-30T18:15:00Z"));
    expect(localBuckets(f.from, f.to, f.tz, "hour")[0]).toEqual({
      label: "2026-10-01T00:00",
      start: T("2026-09-30T18:15:00Z"),
      end: T("2026-09-30T19:15:00Z"),
    });
    expect(tzOffset("Asia/Kathmandu", f.from)).toBe(5.75 * H);
  });

  it("starts weeks on Monday and months on the first, in local time", () => {
    const weeks = localBuckets(T("2026-11-01T21:00:00Z"), T("2026-11-15T21:00:00Z"), "Africa/Nairobi", "week");
    expect(weeks.map((w) => w.label)).toEqual(["2026-11-02", "2026-11-09"]);
    const months = localBuckets(T("2026-10-31T21:00:00Z"), T("2026-12-31T21:00:00Z"), "Africa/Nairobi", "month");
    expect(months.map((m) => [m.label, m.start])).toEqual([
      ["2026-11-01", T("2026-10-31T21:00:00Z")],
      ["2026-12-01", T("2026-11-30T21:00:00Z")],
    ]);
  });

  it("treats a date-only to as inclusive and an ISO datetime to as exclusive", () => {
    expect(parseFilters({ from: "2026-10-01", to: "2026-10-01" }).to).toBe(T("2026-10-02T00:00:00Z"));
    expect(parseFilters({ from: "2026-10-01", to: "2026-10-01T12:00:00Z" }).to).toBe(T("2026-10-01T12:00:00Z"));
  });
});

describe("Analytics Engine SQL", () => {
  const f = parseFilters({ from: "2026-10-01", to: "2026-10-02", channel: "whatsapp", country: "KE" });

  it("generates totals, series and breakdown SQL from AE_COLUMNS with escaped literals", () => {
    expect(aeSql("junction_events", "demo", f, "totals")).toBe(
      "SELECT SUM(_sample_interval * (double1 - double2)) AS events, SUM(IF(blob2 = 'page_view', _sample_interval * (double1 - double2), 0)) AS pageviews " +
        "FROM junction_events WHERE index1 = 'demo' AND timestamp >= toDateTime(1790812800) AND timestamp < toDateTime(1790985600) " +
        "AND blob3 = 'KE' AND blob1 = 'whatsapp'",
    );
    expect(aeSql("junction_events", "demo", { ...f, includeBots: true }, "series")).toMatch(
      /^SELECT toStartOfInterval\(timestamp, INTERVAL '15' MINUTE\) AS quarter, SUM\(_sample_interval \* double1\) AS events, .* GROUP BY quarter ORDER BY quarter$/,
    );
    expect(aeSql("junction_events", "demo", f, { dimension: "device_type", limit: 5 })).toMatch(
      /^SELECT blob4 AS value, .* GROUP BY value ORDER BY events DESC, value ASC LIMIT 5$/,
    );
    expect(aeString("meta:+254 7")).toBe("'meta:+254 7'");
  });

  it.each([
    ["an injection attempt", () => aeSql("junction_events", "x' OR '1'='1", f, "totals")],
    ["a column Analytics Engine lacks", () => aeSql("junction_events", "demo", { ...f, eq: { path: "/" } }, "totals")],
    ["a property filter", () => aeSql("junction_events", "demo", { ...f, props: { a: "b" } }, "totals")],
    ["a dimension Analytics Engine lacks", () => aeSql("junction_events", "demo", f, { dimension: "browser", limit: 5 })],
  ])("refuses %s", (_n, build) => {
    expect(build).toThrow(/not (allowed|available)/);
  });
});
