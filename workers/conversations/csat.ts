import type { CsatMessage, EventRecord } from "../contract";

// A response of an erased person is tombstoned (`csat:<response_id>` in erased_events): a late
// redelivery of it (a CRM retry, a Queue redelivery) stores nothing.
const UPSERT_SQL = `INSERT INTO csat_responses (project_id, response_id, conversation_id, external_id, score, comment_length, source, submitted_at)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE NOT EXISTS (SELECT 1 FROM erased_events WHERE project_id = ?1 AND event_id = 'csat:' || ?2)
ON CONFLICT(project_id, response_id) DO UPDATE SET conversation_id = excluded.conversation_id, external_id = excluded.external_id,
  score = excluded.score, comment_length = excluded.comment_length, submitted_at = excluded.submitted_at`;

/** The upsert of a `csat` Queue message (a resent response with the same id replaces its score; an erased one stays erased). */
export function csatStatements(db: D1Database, m: CsatMessage): D1PreparedStatement[] {
  return [
    db
      .prepare(UPSERT_SQL)
      .bind(m.project_id, m.response_id, m.conversation_id, m.external_id, m.score, m.comment_length, m.source, m.submitted_at),
  ];
}

/** The reply id a customer's message carries: an interactive button/list reply id, or a template button's payload. */
export function replyIdOf(e: EventRecord): string | null {
  if (e.event_name !== "message_received" || e.channel_type !== "whatsapp" || !e.conversation_id) return null;
  const p = e.properties ?? {};
  const id = typeof p.interactive_id === "string" ? p.interactive_id : typeof p.button_payload === "string" ? p.button_payload : null;
  return id || null;
}

const REPLIES_SQL = "SELECT reply_id, score FROM csat_replies WHERE project_id = ? AND reply_id IN (SELECT value FROM json_each(?))";

/**
 * Customer replies whose id the project maps to a CSAT score (`PUT /csat/replies`) become CSAT
 * responses of the contact's conversation; the events come back with `properties.csat_score` so the
 * conversation reads them as survey answers, not new requests. Safe to repeat (one response per message).
 */
export async function csatFromReplies(db: D1Database, events: EventRecord[]): Promise<EventRecord[]> {
  const byProject = new Map<string, Set<string>>();
  for (const e of events) {
    const id = replyIdOf(e);
    if (id) byProject.set(e.project_id, (byProject.get(e.project_id) ?? new Set()).add(id));
  }
  if (!byProject.size) return events;
  const projects = [...byProject];
  const answers = await db.batch<{ reply_id: string; score: number }>(
    projects.map(([project, ids]) => db.prepare(REPLIES_SQL).bind(project, JSON.stringify([...ids]))),
  );
  const scores = new Map(
    projects.flatMap(([project], i) => answers[i].results.map((r) => [`${project}\u0000${r.reply_id}`, r.score] as const)),
  );
  const statements: D1PreparedStatement[] = [];
  const tagged = events.map((e) => {
    const id = replyIdOf(e);
    const score = id ? scores.get(`${e.project_id}\u0000${id}`) : undefined;
    if (score === undefined) return e;
    statements.push(
      ...csatStatements(db, {
        kind: "csat",
        project_id: e.project_id,
        response_id: "reply:" + e.event_id,
        conversation_id: e.conversation_id!,
        external_id: e.external_id ?? null,
        score,
        comment_length: null,
        source: "whatsapp_reply",
        submitted_at: e.timestamp,
      }),
    );
    return { ...e, properties: { ...e.properties, csat_score: score } };
  });
  if (statements.length) await db.batch(statements);
  return tagged;
}
