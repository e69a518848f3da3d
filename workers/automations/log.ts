import { ApiError } from "../lib/http";
import { CLAIM_SEQ } from "./send-template";

type RunRow = {
  id: string;
  person_id: string;
  trigger_key: string;
  status: string;
  reason: string | null;
  started_at: number;
  finished_at: number | null;
};
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const toRun = (r: RunRow) => ({ ...r, started_at: iso(r.started_at)!, finished_at: iso(r.finished_at) });
const COLS = "id, person_id, trigger_key, status, reason, started_at, finished_at";

/** Runs newest first; the cursor is the last run's `started_at:id`. */
export async function runPage(db: D1Database, automationId: string, limit: number, cursor?: string) {
  const [at, id] = cursor
    ? [Number(cursor.slice(0, cursor.indexOf(":"))), cursor.slice(cursor.indexOf(":") + 1)]
    : [Number.MAX_SAFE_INTEGER, ""];
  if (!Number.isFinite(at))
    throw new ApiError(400, "invalid_automation", "cursor is not one this API returned", [{ path: "cursor", message: "unknown cursor" }]);
  const { results } = await db
    .prepare(
      `SELECT ${COLS} FROM automation_runs WHERE automation_id = ? AND (started_at < ? OR (started_at = ? AND id > ?)) ORDER BY started_at DESC, id LIMIT ?`,
    )
    .bind(automationId, at, at, id, limit + 1)
    .all<RunRow>();
  const page = results.slice(0, limit);
  const last = page[page.length - 1];
  return { runs: page.map(toRun), next_cursor: results.length > limit && last ? `${last.started_at}:${last.id}` : null };
}

/** One run with its steps in order. */
export async function runDetail(db: D1Database, automationId: string, runId: string) {
  const [run, steps] = await db.batch([
    db.prepare(`SELECT ${COLS} FROM automation_runs WHERE automation_id = ? AND id = ?`).bind(automationId, runId),
    db
      .prepare("SELECT seq, name, status, detail, at FROM automation_run_steps WHERE run_id = ? AND seq < ? ORDER BY seq")
      .bind(runId, CLAIM_SEQ),
  ]);
  const r = run!.results[0] as RunRow | undefined;
  if (!r) throw new ApiError(404, "automation_not_found", `run "${runId}" does not exist in this automation`);
  return {
    ...toRun(r),
    steps: (steps!.results as { seq: number; name: string; status: string; detail: string | null; at: number }[]).map((s) => ({
      ...s,
      at: iso(s.at)!,
    })),
  };
}
