import { describe, expect, it } from "vitest";
import { cronMatches, lastMatch, parseCron } from "../../workers/automations/cron";

const at = (iso: string) => Date.parse(iso);

describe("schedule cron expressions (UTC)", () => {
  it.each([
    ["0 9 * * *", "2026-03-02T09:00:00Z", true],
    ["0 9 * * *", "2026-03-02T09:01:00Z", false],
    ["*/15 * * * *", "2026-03-02T10:45:00Z", true],
    ["*/15 * * * *", "2026-03-02T10:50:00Z", false],
    ["0 8-18/2 * * 1-5", "2026-03-02T10:00:00Z", true], // a Monday
    ["0 8-18/2 * * 1-5", "2026-03-01T10:00:00Z", false], // a Sunday
    ["0 8-18/2 * * 1-5", "2026-03-02T11:00:00Z", false],
    ["30 6 1,15 * *", "2026-04-15T06:30:00Z", true],
    ["0 0 * * 7", "2026-03-01T00:00:00Z", true], // 7 is Sunday
    ["0 0 13 * 5", "2026-03-13T00:00:00Z", true], // both day fields: either matches (a Friday the 13th)
    ["0 0 13 * 5", "2026-03-06T00:00:00Z", true], // another Friday
    ["0 0 13 * 5", "2026-03-07T00:00:00Z", false],
  ])("%s at %s → %s", (expr, iso, expected) => {
    expect(cronMatches(parseCron(expr)!, at(iso))).toBe(expected);
  });

  it.each(["", "* * * *", "60 * * * *", "* 24 * * *", "5-1 * * * *", "*/0 * * * *", "a * * * *"])("refuses %j", (expr) => {
    expect(parseCron(expr)).toBeNull();
  });

  it("finds the minute that matched since the previous run, looking back at most 15 minutes", () => {
    const c = parseCron("0 9 * * *")!;
    expect(lastMatch(c, at("2026-03-02T08:55:00Z"), at("2026-03-02T09:00:00Z"))).toBe(at("2026-03-02T09:00:00Z"));
    expect(lastMatch(c, at("2026-03-02T09:00:00Z"), at("2026-03-02T09:05:00Z"))).toBeNull();
    expect(lastMatch(c, -Infinity, at("2026-03-02T09:10:00Z"))).toBe(at("2026-03-02T09:00:00Z"));
    expect(lastMatch(c, -Infinity, at("2026-03-02T09:20:00Z"))).toBeNull();
  });
});
