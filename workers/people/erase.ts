import type { ErasedCounts, PersonErased } from "../contract";
import { ownPerson, type Id } from "../lib/person";
import { conversationIdFor } from "../lib/phone";
import { sha256Hex } from "../lib/tokens";

/**
 * The Durable Objects an erasure must reach. They belong to other features, so the entry point
 * that mounts the people API supplies them (workers/api/index.ts).
 */
export interface ErasableObjects {
  /** Wipes a conversation's object; true when it held anything. */
  conversation(env: Cloudflare.Env, projectId: string, conversationId: string): Promise<boolean>;
  /** Wipes a handshake token's object, found by its id (hex) or by the token; true when it held a token. */
  handshake(env: Cloudflare.Env, ref: { objectId: string } | { token: string }): Promise<boolean>;
}

interface Ids {
  anonymous_id: string[];
  external_id: string[];
  user_id: string[];
}

const list = (name: number) => `(SELECT value FROM json_each(?${name}))`;

// The person's ids: every id linked to the one asked about, through the identity links.
const IDS_SQL = `SELECT kind, value FROM identities WHERE project_id = ?1 AND person_id IN
  (SELECT person_id FROM identities WHERE project_id = ?1 AND kind = ?2 AND value = ?3)`;

// Conversations of the person's phones: summaries, and any event naming one (delivery receipts too).
const CONVERSATIONS_SQL = `SELECT conversation_id FROM conversations WHERE project_id = ?1 AND external_id IN ${list(2)}
UNION SELECT conversation_id FROM events WHERE project_id = ?1 AND external_id IN ${list(2)} AND conversation_id IS NOT NULL`;

// Handshake tokens the person's browsers redeemed (the plaintext rides on `handshake_complete`).
const TOKENS_SQL = `SELECT handshake_token AS token FROM events WHERE project_id = ?1 AND anonymous_id IN ${list(2)} AND handshake_token IS NOT NULL
UNION SELECT handshake_token FROM events WHERE project_id = ?1 AND user_id IN ${list(3)} AND handshake_token IS NOT NULL`;

// Tokens issued to the person's phones.
const HANDSHAKES_SQL = `SELECT token_hash, object_id FROM handshakes WHERE project_id = ?1 AND external_id IN ${list(2)}`;

// Every event of the person: one arm per id column, so each seeks its (project_id, <id>, timestamp)
// index; the conversation arm catches conversation events that do not repeat the phone.
// Binds ?1 project, ?2 anonymous ids, ?3 phones, ?4 user ids, ?5 conversation ids (JSON arrays).
const DOOMED = `WITH doomed AS (
  SELECT event_id FROM events WHERE project_id = ?1 AND anonymous_id IN ${list(2)}
  UNION SELECT event_id FROM events WHERE project_id = ?1 AND external_id IN ${list(3)}
  UNION SELECT event_id FROM events WHERE project_id = ?1 AND user_id IN ${list(4)}
  UNION SELECT event_id FROM events WHERE project_id = ?1 AND conversation_id IN ${list(5)}
)`;

// Tombstones first, in the same transaction as the delete: a retried or late delivery of an erased
// event (Queue redelivery, a provider's webhook retry) is refused by the consumer, never stored again.
const TOMBSTONES_SQL = `${DOOMED} INSERT OR IGNORE INTO erased_events (project_id, event_id, erased_at) SELECT ?1, event_id, ?6 FROM doomed`;
// Deliveries stay in the audit trail, without references to the erased events.
const DELIVERIES_SQL = `${DOOMED} UPDATE webhook_deliveries SET event_ids =
  (SELECT json_group_array(j.value) FROM json_each(webhook_deliveries.event_ids) j WHERE j.value NOT IN (SELECT event_id FROM doomed))
WHERE project_id = ?1 AND EXISTS (SELECT 1 FROM json_each(webhook_deliveries.event_ids) j WHERE j.value IN (SELECT event_id FROM doomed))`;
// The person's session rows (keyed by their session or conversation id); the aggregate totals stay.
const SESSIONS_SQL = `${DOOMED} DELETE FROM rollup_sessions WHERE project_id = ?1 AND session_key IN
  (SELECT coalesce(session_id, conversation_id) FROM events WHERE project_id = ?1 AND event_id IN (SELECT event_id FROM doomed))`;
// The same sessions' rows per filter value (rollup_filter_sessions); their totals stay too.
const FILTER_SESSIONS_SQL = `${DOOMED} DELETE FROM rollup_filter_sessions WHERE project_id = ?1 AND session_key IN
  (SELECT coalesce(session_id, conversation_id) FROM events WHERE project_id = ?1 AND event_id IN (SELECT event_id FROM doomed))`;
const EVENTS_SQL = `${DOOMED} DELETE FROM events WHERE project_id = ?1 AND event_id IN (SELECT event_id FROM doomed)`;
const IDENTITIES_SQL = `DELETE FROM identities WHERE project_id = ?1 AND ((kind = 'anonymous_id' AND value IN ${list(2)})
  OR (kind = 'external_id' AND value IN ${list(3)}) OR (kind = 'user_id' AND value IN ${list(4)}))`;
const CONVERSATION_ROWS_SQL = `DELETE FROM conversations WHERE project_id = ?1 AND (conversation_id IN ${list(2)} OR external_id IN ${list(3)})`;
const CSAT_WHERE = `project_id = ?1 AND (conversation_id IN ${list(2)} OR external_id IN ${list(3)})`;
// CSAT responses are no events, so their tombstones are named `csat:<response_id>`.
const CSAT_TOMBSTONES_SQL = `INSERT OR IGNORE INTO erased_events (project_id, event_id, erased_at) SELECT ?1, 'csat:' || response_id, ?4 FROM csat_responses WHERE ${CSAT_WHERE}`;
const CSAT_SQL = `DELETE FROM csat_responses WHERE ${CSAT_WHERE}`;
const CONTACTS_SQL = `DELETE FROM contacts WHERE project_id = ?1 AND external_id IN ${list(2)}`;
const ATTEMPTS_SQL = `DELETE FROM handshake_attempts WHERE project_id = ?1 AND (anonymous_id IN ${list(2)} OR token_hash IN ${list(3)})`;
const HANDSHAKE_ROWS_SQL = `DELETE FROM handshakes WHERE project_id = ?1 AND (external_id IN ${list(2)} OR token_hash IN ${list(3)})`;
// Dead letters keep whole Queue messages: those naming the person go too (CASE guards bodies that are not JSON).
const DEAD_LETTERS_SQL = `DELETE FROM dead_letters WHERE CASE WHEN json_valid(body) THEN
  (json_extract(body, '$.kind') = 'event' AND json_extract(body, '$.event.project_id') = ?1 AND (
     json_extract(body, '$.event.anonymous_id') IN ${list(2)} OR json_extract(body, '$.event.external_id') IN ${list(3)}
     OR json_extract(body, '$.event.user_id') IN ${list(4)} OR json_extract(body, '$.event.conversation_id') IN ${list(5)}))
  OR (json_extract(body, '$.kind') = 'csat' AND json_extract(body, '$.project_id') = ?1 AND (
     json_extract(body, '$.external_id') IN ${list(3)} OR json_extract(body, '$.conversation_id') IN ${list(5)}))
  OR (json_extract(body, '$.kind') = 'contact' AND json_extract(body, '$.project_id') = ?1 AND json_extract(body, '$.external_id') IN ${list(3)})
  OR (json_extract(body, '$.kind') = 'conversation_summary' AND json_extract(body, '$.summary.project_id') = ?1 AND (
     json_extract(body, '$.summary.external_id') IN ${list(3)} OR json_extract(body, '$.summary.conversation_id') IN ${list(5)}))
  ELSE 0 END`;

// Campaign sends to the person (their snapshot row holds their phone and person id).
const CAMPAIGN_RECIPIENTS_SQL = `DELETE FROM campaign_recipients WHERE project_id = ?1 AND (address IN ${list(2)} OR person_id IN ${list(3)})`;
// Automation runs, their steps, list and segment-entry memberships of the person (by person id: each
// of their ids' own person id, one of which is the linked person's).
const AUTOMATION_SQL = [
  `DELETE FROM automation_run_steps WHERE run_id IN (SELECT id FROM automation_runs WHERE project_id = ?1 AND person_id IN ${list(2)})`,
  `DELETE FROM automation_runs WHERE project_id = ?1 AND person_id IN ${list(2)}`,
  `DELETE FROM list_members WHERE project_id = ?1 AND person_id IN ${list(2)}`,
  `DELETE FROM automation_segment_members WHERE person_id IN ${list(2)} AND automation_id IN (SELECT id FROM automations WHERE project_id = ?1)`,
];

/** The id asked about and every id linked to it. */
async function personIds(db: D1Database, projectId: string, id: Id): Promise<Ids> {
  const { results } = await db.prepare(IDS_SQL).bind(projectId, id.kind, id.value).all<{ kind: keyof Ids; value: string }>();
  const ids: Ids = { anonymous_id: [], external_id: [], user_id: [] };
  for (const r of [id, ...results]) if (!ids[r.kind].includes(r.value)) ids[r.kind].push(r.value);
  for (const k of Object.keys(ids) as (keyof Ids)[]) ids[k].sort();
  return ids;
}

/** Every person id the person's rows may carry: each id's own person (a merged person is the smallest of them). */
const personIdsOf = (ids: Ids) =>
  (Object.keys(ids) as (keyof Ids)[]).flatMap((kind) => ids[kind].map((value) => ownPerson({ kind, value })));

/**
 * Erases one person of a project across channels (docs/privacy.md): their Durable Object state
 * first (conversations, handshake tokens), then every D1 record in one transaction. Safe to repeat:
 * a second run finds nothing left and answers zeros; a run that failed halfway is completed by the next.
 */
export async function erasePerson(
  env: Cloudflare.Env,
  objects: ErasableObjects,
  projectId: string,
  id: Id,
  now = Date.now(),
): Promise<PersonErased> {
  const db = env.DB;
  const ids = await personIds(db, projectId, id);
  const [anon, phones, users] = [ids.anonymous_id, ids.external_id, ids.user_id].map((l) => JSON.stringify(l));
  const [conversationRows, tokenRows, handshakeRows] = await db.batch<Record<string, string | null>>([
    db.prepare(CONVERSATIONS_SQL).bind(projectId, phones),
    db.prepare(TOKENS_SQL).bind(projectId, anon, users),
    db.prepare(HANDSHAKES_SQL).bind(projectId, phones),
  ]);
  const conversations = new Set(conversationRows.results.map((r) => r.conversation_id as string));
  // A phone's conversation id is derived from it, so its object is reached even with nothing in D1.
  for (const phone of ids.external_id) conversations.add(conversationIdFor(projectId, phone));
  const tokens = tokenRows.results.map((r) => r.token as string);
  const objectIds = handshakeRows.results.map((r) => r.object_id).filter((o): o is string => !!o);
  const hashes = new Set([...handshakeRows.results.map((r) => r.token_hash as string), ...(await Promise.all(tokens.map(sha256Hex)))]);

  const [conversationObjects, handshakeObjects] = await Promise.all([
    Promise.all([...conversations].map((c) => objects.conversation(env, projectId, c))),
    Promise.all([
      ...objectIds.map((objectId) => objects.handshake(env, { objectId })),
      ...tokens.map((token) => objects.handshake(env, { token })),
    ]),
  ]);

  const convs = JSON.stringify([...conversations]);
  const hashList = JSON.stringify([...hashes]);
  const doomed = [projectId, anon, phones, users, convs] as const;
  const persons = JSON.stringify([
    ...ids.anonymous_id.map((v) => ownPerson({ kind: "anonymous_id", value: v })),
    ...ids.external_id.map((v) => ownPerson({ kind: "external_id", value: v })),
    ...ids.user_id.map((v) => ownPerson({ kind: "user_id", value: v })),
  ]);
  // Runs still under way for the person are stopped too (their Workflow instances), best effort:
  // a run that outlives this finds its row gone and skips its actions.
  const { results: live } = await db
    .prepare(`SELECT id FROM automation_runs WHERE project_id = ?1 AND person_id IN ${list(2)} AND finished_at IS NULL`)
    .bind(projectId, persons)
    .all<{ id: string }>();
  const results = await db.batch([
    db.prepare(TOMBSTONES_SQL).bind(...doomed, now),
    db.prepare(DELIVERIES_SQL).bind(...doomed),
    db.prepare(SESSIONS_SQL).bind(...doomed),
    db.prepare(FILTER_SESSIONS_SQL).bind(...doomed),
    db.prepare(EVENTS_SQL).bind(...doomed),
    db.prepare(IDENTITIES_SQL).bind(projectId, anon, phones, users),
    db.prepare(CONVERSATION_ROWS_SQL).bind(projectId, convs, phones),
    db.prepare(CONTACTS_SQL).bind(projectId, phones),
    db.prepare(ATTEMPTS_SQL).bind(projectId, anon, hashList),
    db.prepare(HANDSHAKE_ROWS_SQL).bind(projectId, phones, hashList),
    db.prepare(DEAD_LETTERS_SQL).bind(...doomed),
    db.prepare(CSAT_TOMBSTONES_SQL).bind(projectId, convs, phones, now),
    db.prepare(CSAT_SQL).bind(projectId, convs, phones),
    db.prepare(CAMPAIGN_RECIPIENTS_SQL).bind(projectId, phones, JSON.stringify(personIdsOf(ids))),
    ...AUTOMATION_SQL.map((q) => db.prepare(q).bind(projectId, persons)),
  ]);
  const changes = results.map((r) => r.meta.changes ?? 0);
  const erased: ErasedCounts = {
    events: changes[4],
    identities: changes[5],
    conversations: changes[6],
    conversation_objects: conversationObjects.filter(Boolean).length,
    contacts: changes[7],
    handshakes: changes[9],
    // A token reached both by its object id and by its plaintext answers true once: the second call finds it empty.
    handshake_objects: handshakeObjects.filter(Boolean).length,
    handshake_attempts: changes[8],
    sessions: changes[2],
    filter_sessions: changes[3],
    deliveries: changes[1],
    dead_letters: changes[10],
    csat_responses: changes[12],
    campaign_recipients: changes[13],
  };
  await Promise.allSettled(live.map(async (r) => (await env.AUTOMATIONS.get(r.id)).terminate()));
  return { anonymous_ids: ids.anonymous_id, external_ids: ids.external_id, user_ids: ids.user_id, erased };
}
