import { z } from "zod";
import { segmentKeySchema } from "./segments";
import { isoTimeSchema, timeZoneSchema } from "./shared";

/** Most rows per import report listed with their reason; `rejected` still counts them all. */
export const IMPORT_REJECTED_LISTED = 100;
/** Most attributes (traits) one imported row may carry. */
export const IMPORT_MAX_ATTRIBUTES = 50;

const trait = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

/**
 * One contact of `POST /contacts/import` (a JSON object, or a CSV record by column name): a phone
 * (parsed with the project's default country) or a BSUID, or both (linked as one person).
 */
export const contactImportRowSchema = z.strictObject({
  phone: z.union([z.string().max(40), z.number()]).optional(),
  bsuid: z.string().max(131).optional(),
  name: z.string().max(200).optional(),
  timezone: timeZoneSchema.optional(),
  attributes: z.record(segmentKeySchema, trait).optional(),
  consent: z
    .strictObject({
      state: z.enum(["opted_in", "opted_out"]),
      source: z.string().max(100).optional(),
      at: isoTimeSchema.optional(),
    })
    .optional(),
});
export type ContactImportRow = z.infer<typeof contactImportRowSchema>;

/** The data-quality report of one import. Row numbers count data rows from 1 (a CSV header is not a row). */
export const contactImportReportSchema = z.strictObject({
  rows_read: z.number().int().nonnegative(),
  /** New contacts: the first row of each contact not known before. */
  imported: z.number().int().nonnegative(),
  /** The other rows of the contacts this import writes (known before, or earlier in the file): merged into that person. */
  merged: z.number().int().nonnegative(),
  /** Rows of contacts identical to what their last import stored (repeats in the file too): nothing written. */
  unchanged: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  /** The first IMPORT_REJECTED_LISTED rejected rows and why. */
  rejected_rows: z.array(z.strictObject({ row: z.number().int().positive(), reason: z.string() })),
  /**
   * Set when the body ended early (a JSON array never closed, or a last row cut short): the rows
   * before `row` were imported as reported, whatever followed in the file was never received.
   */
  truncated: z.strictObject({ row: z.number().int().positive(), byte: z.number().int().nonnegative(), reason: z.string() }).nullable(),
  took_ms: z.number().nonnegative(),
});
export type ContactImportReport = z.infer<typeof contactImportReportSchema>;
