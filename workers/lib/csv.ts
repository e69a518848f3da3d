/** Characters that make a spreadsheet read a cell as a formula (OWASP's CSV-injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain signed number (an E.164 phone, a negative amount) is data, not a formula. */
const SIGNED_NUMBER = /^[+-]\d+(\.\d+)?$/;

/**
 * RFC 4180 CSV: fields holding a comma, quote, CR or LF are quoted with inner quotes doubled.
 * Strings come from browsers and providers (titles, UTM values, names), so one that a spreadsheet
 * would run as a formula gets a leading `'`, which spreadsheets show as text; numbers and signed
 * numbers (E.164 phones, negative amounts) are written as they are.
 */
export function csvField(v: unknown): string {
  if (v == null) return "";
  let s = typeof v === "object" ? JSON.stringify(v) : String(v);
  if (typeof v === "string" && FORMULA_START.test(s) && !SIGNED_NUMBER.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record, CRLF-terminated as RFC 4180 asks. */
export const csvLine = (values: unknown[]) => values.map(csvField).join(",") + "\r\n";

/**
 * A streamed CSV body: the header, then each page `next()` yields until it returns null. Pages
 * are pulled only as the client reads, so a large export never sits in memory.
 */
export function csvStream(header: string[], next: () => Promise<unknown[][] | null>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLine(header)));
        return;
      }
      // Enqueue something on every pull: a pull that enqueues nothing is not called again.
      for (;;) {
        const rows = await next();
        if (!rows) return controller.close();
        if (rows.length) return controller.enqueue(encoder.encode(rows.map(csvLine).join("")));
      }
    },
  });
}

/** Response headers for a CSV download. */
export function csvHeaders(filename: string): HeadersInit {
  return {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    "cache-control": "no-store",
  };
}
