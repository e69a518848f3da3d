/**
 * An incremental RFC 4180 CSV parser: text is pushed chunk by chunk and complete records come out,
 * so a large upload is never held whole. Quoted fields may hold commas, doubled quotes and line
 * breaks (CRLF or LF); a record may be split across any number of chunks. A record longer than
 * `maxRecordChars` is dropped as it streams (never buffered) and comes out as `null`.
 */
export class CsvParser {
  private size = 0;
  private tooLong = false;

  constructor(readonly maxRecordChars = 65_536) {}

  private append(text: string) {
    if (this.tooLong || !text) return;
    this.size += text.length;
    if (this.size > this.maxRecordChars) {
      this.tooLong = true;
      this.field = "";
      this.record = [];
      return;
    }
    this.field += text;
  }

  private field = "";
  private record: string[] = [];
  private quoted = false;
  /** Inside quotes, a quote was just read: either the closing one or the first of a doubled pair. */
  private quoteSeen = false;
  private started = false;
  private fieldStarted = false;
  private afterCr = false;

  /** The records completed by `chunk` (`null` for one over the length limit). */
  push(chunk: string): (string[] | null)[] {
    const out: (string[] | null)[] = [];
    if (!this.started && chunk) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let plainFrom = -1;
    const flushPlain = (i: number) => {
      if (plainFrom >= 0) this.append(chunk.slice(plainFrom, i));
      plainFrom = -1;
    };
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (ch === '"') {
            this.append('"');
            continue;
          }
          this.quoted = false; // the closing quote: fall through to read `ch` unquoted
        } else if (ch === '"') {
          flushPlain(i);
          this.quoteSeen = true;
          continue;
        } else {
          if (plainFrom < 0) plainFrom = i;
          continue;
        }
      }
      if (ch === '"' && !this.fieldStarted) {
        this.quoted = true;
        this.fieldStarted = true;
        continue;
      }
      if (ch === ",") {
        flushPlain(i);
        this.endField();
        continue;
      }
      if (ch === "\n" || ch === "\r") {
        flushPlain(i);
        // CRLF: the LF after a CR ends nothing more.
        if (ch === "\n" && this.afterCr) {
          this.afterCr = false;
          continue;
        }
        this.endField();
        this.afterCr = ch === "\r";
        out.push(this.tooLong ? null : this.record);
        this.record = [];
        this.size = 0;
        this.tooLong = false;
        continue;
      }
      this.afterCr = false;
      this.fieldStarted = true;
      if (plainFrom < 0) plainFrom = i;
    }
    flushPlain(chunk.length);
    return out;
  }

  private endField() {
    // Each field counts a character too, so a line of a million commas is over the limit as well.
    if (++this.size > this.maxRecordChars) this.tooLong = true;
    if (!this.tooLong) this.record.push(this.field);
    else this.record = [];
    this.field = "";
    this.fieldStarted = false;
    this.afterCr = false;
  }

  /** The last record, when the text did not end with a line break. */
  end(): (string[] | null)[] {
    if (!this.fieldStarted && !this.record.length && !this.field && !this.tooLong) return [];
    this.endField();
    const last = this.tooLong ? null : this.record;
    this.record = [];
    return [last];
  }
}
