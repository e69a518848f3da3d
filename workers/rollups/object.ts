import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { cover, GRAINS, type Run } from "./grains";
import { Sketch } from "./sketch";

const kindSchema = z.enum(["v", "s"]);
const text = z.string().max(2048);

const addSchema = z
  .array(
    z.object({
      kind: kindSchema,
      dim: text,
      value: text,
      channel: text,
      bot: z.boolean(),
      /** The events' 15-minute bucket start. */
      at: z.number().int().nonnegative(),
      hashes: z.array(z.number().int().nonnegative()).min(1),
    }),
  )
  .max(20_000);
export type UniquesPoint = z.infer<typeof addSchema>[number];

const querySchema = z
  .array(
    z.object({
      kind: kindSchema,
      dim: text,
      values: z.array(text).min(1).max(1000),
      /** null = every channel. */
      channel: text.nullable(),
      bots: z.boolean(),
      ranges: z
        .array(z.tuple([z.number().int(), z.number().int()]))
        .min(1)
        .max(1000),
    }),
  )
  .max(50);
export type UniquesQuery = z.infer<typeof querySchema>[number];

// Folding added keys into the sketches rewrites whole sketches (up to 16 KiB each), and one batch
// of historical events can touch hundreds of them. So an add is one journal row; the journal is
// folded in by the alarm a few seconds later, before any count, or inline once it grows long:
// each sketch is then rewritten once for many batches.
const FOLD_DELAY_MS = 5_000;
const FOLD_INLINE_ROWS = 200;

/**
 * One per project: the distinct visitor and session sketches (workers/rollups/sketch.ts) per
 * dimension value, channel, bot flag and bucket of each grain. Sketches are read-modify-write, so
 * they live where writes are serialized (one object) rather than in D1, where concurrent consumer
 * invocations would overwrite each other. Adds are idempotent: the consumer sends every event of
 * a batch, stored before or not, and a retried batch changes nothing.
 */
export class UniquesDO extends DurableObject<Cloudflare.Env> {
  private sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS sketches (
      kind TEXT NOT NULL, dim TEXT NOT NULL, grain INTEGER NOT NULL, start INTEGER NOT NULL,
      value TEXT NOT NULL, channel TEXT NOT NULL, bot INTEGER NOT NULL, data BLOB NOT NULL,
      PRIMARY KEY (kind, dim, grain, start, value, channel, bot));
      CREATE TABLE IF NOT EXISTS journal (id INTEGER PRIMARY KEY AUTOINCREMENT, points TEXT NOT NULL);`);
  }

  /** Records a batch's keys durably; they count from the next fold (before any `count`). */
  async add(input: UniquesPoint[]): Promise<void> {
    const points = addSchema.parse(input);
    if (!points.length) return;
    this.sql.exec("INSERT INTO journal (points) VALUES (?)", JSON.stringify(points));
    const pending = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM journal").one().n;
    if (pending >= FOLD_INLINE_ROWS) return this.fold();
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + FOLD_DELAY_MS);
  }

  async alarm(): Promise<void> {
    this.fold();
  }

  /** Forgets every sketch and pending add: the start of a rebuild after the definition of a visitor or session changed. */
  async reset(): Promise<void> {
    this.sql.exec("DELETE FROM sketches; DELETE FROM journal;");
  }

  /** Adds every journaled key to the sketches of all three grains, each sketch written once. */
  private fold(): void {
    const rows = this.sql.exec<{ id: number; points: string }>("SELECT id, points FROM journal ORDER BY id").toArray();
    if (!rows.length) return;
    const groups = new Map<string, { row: (string | number)[]; hashes: number[] }>();
    for (const r of rows) {
      for (const p of JSON.parse(r.points) as UniquesPoint[]) {
        for (const grain of [0, 1, 2] as const) {
          const start = p.at - (p.at % GRAINS[grain]);
          const row = [p.kind, p.dim, grain, start, p.value, p.channel, p.bot ? 1 : 0];
          const key = row.join("\u0000");
          const g = groups.get(key) ?? groups.set(key, { row, hashes: [] }).get(key)!;
          for (const h of p.hashes) g.hashes.push(h);
        }
      }
    }
    for (const { row, hashes } of groups.values()) {
      const stored = this.sql
        .exec<{ data: ArrayBuffer }>(
          "SELECT data FROM sketches WHERE kind = ? AND dim = ? AND grain = ? AND start = ? AND value = ? AND channel = ? AND bot = ?",
          ...row,
        )
        .toArray()[0];
      const sketch = stored ? Sketch.decode(stored.data) : new Sketch();
      if (!sketch.add(hashes)) continue;
      this.sql.exec(
        `INSERT INTO sketches (kind, dim, grain, start, value, channel, bot, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET data = excluded.data`,
        ...row,
        sketch.encode(),
      );
    }
    this.sql.exec("DELETE FROM journal WHERE id <= ?", rows[rows.length - 1].id);
  }

  /** Distinct counts per query, range and value: `result[q][r][v]`. */
  async count(input: UniquesQuery[]): Promise<number[][][]> {
    const queries = querySchema.parse(input);
    this.fold();
    return queries.map((q) => {
      const fetched = new Map<string, Map<string, ArrayBuffer[]>>();
      const read = (run: Run) => {
        const id = `${run.grain}:${run.lo}:${run.hi}`;
        if (!fetched.has(id)) fetched.set(id, this.read(q, run));
        return fetched.get(id)!;
      };
      return q.ranges.map(([from, to]) => {
        const merged = q.values.map(() => new Sketch());
        for (const run of cover(from, to)) {
          const byValue = read(run);
          q.values.forEach((v, i) => byValue.get(v)?.forEach((data) => merged[i].mergeEncoded(data)));
        }
        return merged.map((s) => s.count());
      });
    });
  }

  /** The encoded sketches of one run, by value, for the query's channel and bot filter. */
  private read(q: UniquesQuery, run: Run): Map<string, ArrayBuffer[]> {
    const rows = this.sql.exec<{ value: string; data: ArrayBuffer }>(
      `SELECT value, data FROM sketches WHERE kind = ?1 AND dim = ?2 AND grain = ?3 AND start >= ?4 AND start < ?5
         AND value IN (SELECT value FROM json_each(?6)) AND (?7 IS NULL OR channel = ?7) AND (bot = 0 OR ?8)`,
      q.kind,
      q.dim,
      run.grain,
      run.lo,
      run.hi,
      JSON.stringify(q.values),
      q.channel,
      q.bots ? 1 : 0,
    );
    const out = new Map<string, ArrayBuffer[]>();
    for (const r of rows) (out.get(r.value) ?? out.set(r.value, []).get(r.value)!).push(r.data);
    return out;
  }
}
