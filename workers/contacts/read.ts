import { CsvParser } from "../lib/csv-parse";
import { ApiError } from "../lib/http";

/**
 * One data row of an upload: its number (from 1) and either its value or why it could not be read;
 * or, last, the note that the body ended early (a JSON array never closed, or cut inside a row).
 */
export type RawRow =
  | { row: number; value: Record<string, unknown> }
  | { row: number; error: string }
  | { row: number; truncated: { byte: number; reason: string } };

/** The longest row (CSV record or JSON element) read; a longer one is rejected without being buffered. */
const MAX_ROW_CHARS = 65_536;
const TOO_LONG = `the row is longer than ${MAX_ROW_CHARS} characters`;

/** CSV columns with a meaning; every other column is an attribute (trait) of that name. */
const CSV_FIELDS = new Set(["phone", "bsuid", "name", "timezone", "consent", "consent_source", "consent_at"]);

const empty = () => new ApiError(400, "invalid_import", "the body is empty", [{ path: "", message: "no rows" }]);

/** The body's text as it arrives; `read.bytes` counts the bytes received so far. */
async function* chunks(body: ReadableStream<Uint8Array>, read = { bytes: 0 }): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read.bytes += value.byteLength;
    const text = decoder.decode(value, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** A CSV record as an import row: known columns by name, the rest as attributes; empty cells are absent. */
function csvRow(header: string[], record: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const attributes: Record<string, string> = {};
  const consent: Record<string, string> = {};
  header.forEach((h, i) => {
    const v = (record[i] ?? "").trim();
    if (!v) return;
    if (h === "consent") consent.state = v;
    else if (h === "consent_source") consent.source = v;
    else if (h === "consent_at") consent.at = v;
    else if (CSV_FIELDS.has(h)) row[h] = v;
    else attributes[h] = v;
  });
  if (Object.keys(attributes).length) row.attributes = attributes;
  if (Object.keys(consent).length) row.consent = consent;
  return row;
}

async function* csvRows(body: ReadableStream<Uint8Array>): AsyncGenerator<RawRow> {
  const parser = new CsvParser(MAX_ROW_CHARS);
  let header: string[] | null = null;
  let n = 0;
  const take = function* (records: (string[] | null)[]): Generator<RawRow> {
    for (const r of records) {
      if (r === null) {
        if (!header)
          throw new ApiError(400, "invalid_import", "the CSV header is longer than a row may be", [
            { path: "header", message: `over ${MAX_ROW_CHARS} characters` },
          ]);
        yield { row: ++n, error: TOO_LONG };
        continue;
      }
      if (r.length === 1 && r[0]!.trim() === "") continue; // a blank line
      if (!header) {
        header = r.map((h) => h.trim().toLowerCase());
        // Columns are matched by name (case-insensitive): a repeated one would silently lose a value.
        const repeated = header.find((h, i) => header!.indexOf(h) !== i);
        if (repeated !== undefined) {
          throw new ApiError(400, "invalid_import", `the CSV header repeats the column "${repeated.slice(0, 100)}"`, [
            { path: "header", message: `"${repeated.slice(0, 100)}" appears more than once` },
          ]);
        }
        if (!header.includes("phone") && !header.includes("bsuid")) {
          throw new ApiError(400, "invalid_import", "the CSV header must name a phone or bsuid column", [
            { path: "header", message: `columns: ${header.join(", ").slice(0, 200)}` },
          ]);
        }
        continue;
      }
      n++;
      if (r.length > header.length) yield { row: n, error: `${r.length} fields, the header has ${header.length}` };
      else yield { row: n, value: csvRow(header, r) };
    }
  };
  for await (const text of chunks(body)) yield* take(parser.push(text));
  yield* take(parser.end());
  if (!header) throw empty();
}

/**
 * Splits a JSON array into its elements' texts as the text streams in (strings and nesting
 * tracked), or reads NDJSON (one value a line). Each element is parsed on its own, so one bad row
 * is one rejected row. A body whose first value is not JSON is not a JSON import at all (400);
 * one that ends early (an array never closed, or a last row cut short) ends with a `truncated`
 * note, since the rows before it may already be imported.
 */
async function* jsonRows(body: ReadableStream<Uint8Array>): AsyncGenerator<RawRow> {
  const read = { bytes: 0 };
  let mode: "unknown" | "array" | "ndjson" | "closed" = "unknown";
  let buf = "";
  // The element (or line) being read grew past MAX_ROW_CHARS: the rest of it is skipped, not kept.
  let overflow = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let n = 0;
  // Where the body ended, for a row or an array it cut short.
  const endsAt = () => `the body ends at byte ${read.bytes}`;
  const parsed = (text: string, cutShort = false): RawRow => {
    n++;
    if (overflow || text.length > MAX_ROW_CHARS) return { row: n, error: TOO_LONG };
    try {
      const v: unknown = JSON.parse(text);
      return v && typeof v === "object" && !Array.isArray(v)
        ? { row: n, value: v as Record<string, unknown> }
        : { row: n, error: "a row must be a JSON object" };
    } catch (err) {
      const why = cutShort ? `${endsAt()}, inside this row` : err instanceof Error ? err.message : String(err);
      // Nothing valid before it: the body is not JSON (and nothing was imported).
      if (n === 1) throw new ApiError(400, "invalid_import", `not valid JSON at row 1: ${why}`, [{ path: "", message: why }]);
      return { row: n, error: `not valid JSON: ${why}` };
    }
  };
  const keep = (text: string) => {
    if (overflow) return;
    buf += text;
    if (buf.length > MAX_ROW_CHARS) (overflow = true), (buf = "");
  };
  const element = (text: string, cutShort = false): RawRow => {
    const row = parsed(overflow ? "" : buf + text, cutShort);
    buf = "";
    overflow = false;
    return row;
  };
  for await (let text of chunks(body, read)) {
    if (mode === "closed") continue; // whatever follows the array's closing bracket
    if (mode === "unknown") {
      text = text.replace(/^\uFEFF/, "").replace(/^\s+/, "");
      if (!text) continue;
      mode = text.startsWith("[") ? "array" : "ndjson";
      if (mode === "array") text = text.slice(1);
    }
    if (mode === "ndjson") {
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        const line = text.slice(start, nl);
        if (overflow || (buf + line).trim()) yield element(line);
        else buf = "";
        start = nl + 1;
      }
      keep(text.slice(start));
      continue;
    }
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === "\\") escaped = true;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || ch === "]") {
        if (depth === 0) {
          // The array's closing bracket.
          if (overflow || (buf + text.slice(start, i)).trim()) yield element(text.slice(start, i));
          mode = "closed";
          break;
        }
        depth--;
      } else if (ch === "," && depth === 0) {
        yield element(text.slice(start, i));
        start = i + 1;
      }
    }
    if (mode === "array") keep(text.slice(start));
  }
  if (mode === "unknown") throw empty();
  if (mode === "ndjson") {
    // A last line without its newline: read as it stands; one that does not parse was cut short.
    if (overflow || buf.trim()) {
      const last = element("", true);
      yield last;
      if ("error" in last && last.error.startsWith("not valid JSON"))
        yield { row: last.row, truncated: { byte: read.bytes, reason: `${endsAt()}, inside row ${last.row}` } };
    }
    return;
  }
  if (mode === "array") {
    // An array never closed: its last element is read as it stands (and rejected when cut short).
    const cut = inString || depth > 0;
    if (overflow || buf.trim()) yield element("", cut);
    else if (n === 0) throw new ApiError(400, "invalid_import", `not valid JSON at row 1: ${endsAt()}`, [{ path: "", message: endsAt() }]);
    const reason = cut ? `${endsAt()}, inside row ${n}` : `${endsAt()} before the JSON array is closed, after row ${n}`;
    yield { row: n, truncated: { byte: read.bytes, reason } };
  }
}

/** The rows of an upload, by content type: `text/csv`, or JSON (an array of objects, or NDJSON). */
export function readRows(body: ReadableStream<Uint8Array>, contentType: string): AsyncGenerator<RawRow> {
  return /csv/i.test(contentType) ? csvRows(body) : jsonRows(body);
}
