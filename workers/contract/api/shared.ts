import { z } from "zod";
import { canonicalTimeZone, isTimeZone } from "../zone";

/** Times in API answers are ISO 8601 strings in UTC. */
export const isoTimeSchema = z.iso.datetime({ offset: true });

/**
 * An IANA time zone a client sets (business hours, campaign settings, imported contacts): refused
 * when the runtime does not know it, kept under its canonical name (`europe/london` → `Europe/London`).
 */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, { message: "an IANA time zone, e.g. Europe/Berlin", abort: true })
  .overwrite(canonicalTimeZone);

/** Count, mean and percentiles of one group of durations, in seconds (null when the group is empty). */
export const distributionSchema = z.strictObject({
  count: z.number().int().nonnegative(),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  p90: z.number().nullable(),
});
export type Distribution = z.infer<typeof distributionSchema>;

/** A rate 0–1 rounded to 4 places, or null when there was nothing to divide by. */
export const rateSchema = z.number().nullable();

/** Exports answer `text/csv` with a header row; the column names are part of the contract. */
export const csvSchema = z.string().describe("text/csv with a header row");
