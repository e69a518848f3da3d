import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { businessHoursSchema, WEEKDAYS, type BusinessHoursInput } from "../../workers/contract/business-hours";
import { businessDeadline, businessMs } from "../../workers/lib/business-hours";

const H = 3_600_000;
const MIN = 60_000;
const office = (over: Partial<BusinessHoursInput> = {}) =>
  businessHoursSchema.parse({
    timezone: "Europe/Berlin",
    weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ from: "08:00", to: "17:00" }]])),
    holidays: ["2026-12-25"],
    ...over,
  });
const at = (iso: string) => Date.parse(iso);

describe("businessMs on hand-built ranges", () => {
  it("counts only Friday's last hour and Monday's first across a weekend", () => {
    // Fri 27 Nov 2026 16:00 CET (UTC+1) to Mon 30 Nov 09:00 CET.
    expect(businessMs(office(), at("2026-11-27T15:00:00Z"), at("2026-11-30T08:00:00Z"))).toBe(1 * H + 1 * H);
  });

  it("skips a holiday: Christmas Friday is closed all day", () => {
    // Thu 24 Dec 16:00 → Mon 28 Dec 09:00 (CET): Thu 1 h + Fri 0 + Mon 1 h.
    expect(businessMs(office(), at("2026-12-24T15:00:00Z"), at("2026-12-28T08:00:00Z"))).toBe(2 * H);
    expect(businessMs(office({ holidays: [] }), at("2026-12-24T15:00:00Z"), at("2026-12-28T08:00:00Z"))).toBe(2 * H + 9 * H);
  });

  it("keeps local opening hours across a DST change", () => {
    // Berlin moves from UTC+1 to UTC+2 on Sun 29 Mar 2026: Fri 16:00 CET (15:00Z) → Mon 09:00 CEST (07:00Z).
    expect(businessMs(office(), at("2026-03-27T15:00:00Z"), at("2026-03-30T07:00:00Z"))).toBe(2 * H);
    // A day open around the clock lasts 23 hours on that Sunday and 25 on 25 Oct 2026.
    const allDaySunday = office({ weekly: { sun: [{ from: "00:00", to: "24:00" }] } });
    expect(businessMs(allDaySunday, at("2026-03-28T12:00:00Z"), at("2026-03-30T12:00:00Z"))).toBe(23 * H);
    expect(businessMs(allDaySunday, at("2026-10-24T12:00:00Z"), at("2026-10-26T12:00:00Z"))).toBe(25 * H);
    // New York springs forward on 8 Mar 2026: 09:00 local is 14:00Z before and 13:00Z after.
    const ny = office({
      timezone: "America/New_York",
      weekly: { mon: [{ from: "09:00", to: "10:00" }], fri: [{ from: "09:00", to: "10:00" }] },
    });
    expect(businessMs(ny, at("2026-03-06T14:30:00Z"), at("2026-03-09T13:30:00Z"))).toBe(30 * MIN + 30 * MIN);
  });

  it("counts overnight: a night shift split at midnight, and an evening to the next morning", () => {
    const night = office({ timezone: "UTC", weekly: { mon: [{ from: "22:00", to: "24:00" }], tue: [{ from: "00:00", to: "06:00" }] } });
    // Mon 30 Nov 2026 23:00Z → Tue 05:00Z: all six hours are open.
    expect(businessMs(night, at("2026-11-30T23:00:00Z"), at("2026-12-01T05:00:00Z"))).toBe(6 * H);
    // Mon 16:00 → Tue 09:00 Berlin: 1 h + 1 h.
    expect(businessMs(office(), at("2026-11-30T15:00:00Z"), at("2026-12-01T08:00:00Z"))).toBe(2 * H);
  });

  it("counts many weeks at once, holidays and DST included", () => {
    // Mon 5 Jan 2026 → Mon 2 Mar 2026 (CET throughout): 8 weeks × 45 h, less Tue 6 Jan.
    const weeks = (n: number) => n * 5 * 9 * H;
    expect(businessMs(office({ holidays: ["2026-01-06"] }), at("2026-01-04T23:00:00Z"), at("2026-03-01T23:00:00Z"))).toBe(weeks(8) - 9 * H);
    // Mon 2 Mar → Mon 27 Apr: 8 weeks, the DST change falls on a closed Sunday.
    expect(businessMs(office(), at("2026-03-01T23:00:00Z"), at("2026-04-26T22:00:00Z"))).toBe(weeks(8));
    // Two years, with Christmas Friday 2026 closed (25 Dec 2027 is a Saturday).
    const mondays = (at("2028-01-03T00:00:00Z") - at("2026-01-05T00:00:00Z")) / (7 * 24 * H);
    expect(businessMs(office(), at("2026-01-04T23:00:00Z"), at("2028-01-02T23:00:00Z"))).toBe(weeks(mondays) - 9 * H);
  });

  it("counts every hour without a schedule", () => {
    expect(businessMs(null, 1_000, 5_000)).toBe(4_000);
    expect(businessMs(office(), 5_000, 1_000)).toBe(0);
  });
});

describe("businessDeadline", () => {
  it("finds when a target in business hours runs out", () => {
    // 4 business hours from Fri 15:00 CET: 2 h on Friday, then Monday 08:00 + 2 h = 10:00 CET (09:00Z).
    expect(businessDeadline(office(), at("2026-11-27T14:00:00Z"), 4 * H)).toBe(at("2026-11-30T09:00:00Z"));
    // 100 business hours (2 weeks + 10 h) from Mon 5 Jan 08:00 CET: Mon 19 Jan full day + 1 h on Tue 20 Jan → 09:00 CET.
    expect(businessDeadline(office(), at("2026-01-05T07:00:00Z"), 100 * H)).toBe(at("2026-01-20T08:00:00Z"));
    expect(businessDeadline(office({ weekly: {} }), 0, H)).toBeNull();
  });
});

describe("businessMs properties", () => {
  // Quarter-hour schedules in zones with DST, and ranges of up to 60 days around DST changes.
  const fmt = (q: number) => `${String(Math.floor(q / 4)).padStart(2, "0")}:${String((q % 4) * 15).padStart(2, "0")}`;
  const day = fc
    .uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 })
    .map((qs) => qs.sort((a, b) => a - b))
    .map((qs) => qs.slice(0, qs.length - (qs.length % 2)))
    .map((qs) => qs.flatMap((q, i) => (i % 2 ? [] : [{ from: fmt(q), to: fmt(qs[i + 1]) }])));
  const schedule = fc
    .record({
      timezone: fc.constantFrom("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"),
      weekly: fc.record(Object.fromEntries(WEEKDAYS.map((d) => [d, day])) as Record<string, typeof day>),
      holidays: fc.array(
        fc.integer({ min: 0, max: 120 }).map((n) => new Date(at("2026-02-01T00:00:00Z") + n * 24 * H).toISOString().slice(0, 10)),
        { maxLength: 5 },
      ),
    })
    .map((s) => businessHoursSchema.parse(s));
  const instant = fc.integer({ min: at("2026-02-01T00:00:00Z"), max: at("2026-06-01T00:00:00Z") });

  it("is monotone, never above wall time, and additive over a split point", () => {
    fc.assert(
      fc.property(schedule, fc.array(instant, { minLength: 3, maxLength: 3 }), (s, xs) => {
        const [a, b, c] = xs.sort((x, y) => x - y);
        const ab = businessMs(s, a, b);
        const bc = businessMs(s, b, c);
        const ac = businessMs(s, a, c);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(b - a);
        expect(ac).toBeGreaterThanOrEqual(ab);
        expect(ac).toBe(ab + bc);
      }),
      { numRuns: 150 },
    );
  });

  it("agrees with its deadline: the target is used up exactly at the deadline", () => {
    fc.assert(
      fc.property(schedule, instant, fc.integer({ min: 1, max: 200 * H }), (s, start, ms) => {
        const due = businessDeadline(s, start, ms);
        if (due === null) return;
        expect(businessMs(s, start, due)).toBe(ms);
        expect(businessMs(s, start, due - 1)).toBeLessThan(ms);
      }),
      { numRuns: 150 },
    );
  });
});
