import { Hono } from "hono";
import { z } from "zod";
import { contactImportReportSchema, contactImportRowSchema } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { ApiError } from "../lib/http";
import { doc } from "../lib/openapi";
import { importContacts, IMPORT_BATCH, MAX_IMPORT_ROWS } from "./import";
import { readRows } from "./read";

/** Contacts: imports from a CRM or spreadsheet, merged into the people Junction already knows. */
export const contactsApi = new Hono<ApiEnv>();

contactsApi.post(
  "/import",
  doc({
    summary: "Import contacts (CSV, JSON array or NDJSON)",
    description:
      `Rows: phone (national numbers read with the project's default_country) or bsuid, name, timezone, attributes (traits), consent {state, source, at}. ` +
      `CSV columns phone, bsuid, name, timezone, consent, consent_source, consent_at; every other column is a trait. ` +
      `Read as it streams and written in batches of ${IMPORT_BATCH}; at most ${MAX_IMPORT_ROWS} rows per request. ` +
      "A known phone or BSUID (earlier in the file or before) is merged into that person; a row identical to its last import is unchanged. See docs/api.md.",
    tags: ["contacts"],
    auth: "project",
    // The JSON form; the same rows come as CSV records or NDJSON lines.
    body: z.array(contactImportRowSchema),
    responses: { 200: { description: "the data-quality report", schema: contactImportReportSchema } },
    errors: ["invalid_import"],
  }),
  async (c) => {
    const type = c.req.header("content-type") ?? "";
    if (!/text\/csv|application\/(json|x-ndjson|ndjson)/i.test(type)) {
      throw new ApiError(400, "invalid_import", "send text/csv, application/json (an array of rows) or application/x-ndjson", [
        { path: "content-type", message: type || "missing" },
      ]);
    }
    const body = c.req.raw.body;
    if (!body) throw new ApiError(400, "invalid_import", "the body is empty", [{ path: "", message: "no rows" }]);
    return c.json(await importContacts(c.env.DB, c.get("project"), readRows(body, type)));
  },
);
