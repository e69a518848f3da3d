import { z } from "zod";
import { timeZoneSchema } from "./api/shared";

/** Weekday keys of a weekly schedule, Sunday first (as `Date.getUTCDay()` numbers them). */
export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "HH:MM between 00:00 and 24:00");

/** One open interval of a day, local time: `from` inclusive, `to` exclusive (`24:00` = midnight at the end). */
const openIntervalSchema = z
  .strictObject({ from: hhmm, to: hhmm })
  .refine((i) => minutesOf(i.from) < minutesOf(i.to), "from must be before to (split a night shift at 24:00)");

const daySchema = z
  .array(openIntervalSchema)
  .max(12)
  .default([])
  .refine((xs) => {
    const sorted = [...xs].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
    return sorted.every((x, i) => i === 0 || minutesOf(sorted[i - 1].to) <= minutesOf(x.from));
  }, "intervals of a day must not overlap");

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "a calendar date");

/**
 * A project's business hours: an IANA zone, per weekday its open intervals (local time), and
 * holidays (dates in that zone, closed all day). Definitions: docs/support-metrics.md.
 */
export const businessHoursSchema = z.strictObject({
  timezone: timeZoneSchema,
  weekly: z.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, daySchema])) as Record<Weekday, typeof daySchema>),
  holidays: z.array(isoDate).max(1000).default([]),
});
export type BusinessHours = z.infer<typeof businessHoursSchema>;
export type BusinessHoursInput = z.input<typeof businessHoursSchema>;

/** `GET /projects/{project}/business-hours`: the schedule, or null (every hour counts). */
export const businessHoursSettingSchema = z.strictObject({ business_hours: businessHoursSchema.nullable() });
export type BusinessHoursSetting = z.infer<typeof businessHoursSettingSchema>;

/** Which clock a duration is reported on: every hour (`wall`) or only the project's business hours. */
export const hoursQuerySchema = z.object({ hours: z.enum(["wall", "business"]).default("wall") });
export type HoursMode = z.infer<typeof hoursQuerySchema>["hours"];
