import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { eventRecordSchema, type EventRecord, type EventRecordInput } from "../contract";
import { fold, toConversationEvent } from "./fold";
import { idleResolution, type ConversationIds } from "./idle";
import type { ConversationSummary } from "../contract";
import { toSummary } from "./summary";
import type { ConversationEvent } from "./types";
import { enqueue } from "../lib/queue";
import { DEFAULT_FOLLOW_UP_GRACE_SECONDS, getProject } from "../lib/projects";
import type { FoldOptions } from "./state-machine";

const MAX_ALARM_AHEAD_MS = 365 * 86_400_000;
const applyInputSchema = z.array(eventRecordSchema).max(1000);

/**
 * One per WhatsApp conversation (`idFromName("<project>:<conversation_id>")`). It keeps the events
 * it has seen and recomputes state and metrics by folding them in time order, which makes it
 * tolerant of duplicates and out-of-order delivery; it sends each new summary to D1 via the Queue
 * and resolves the conversation after `CONVERSATION_IDLE_SECONDS` of inactivity.
 */
export class ConversationDO extends DurableObject<Cloudflare.Env> {
  private sql = this.ctx.storage.sql;
  /** The stored events, parsed once per object lifetime: a hot conversation refolds in memory, not from SQLite. */
  private cache: Map<string, ConversationEvent> | null = null;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.init();
  }

  private init() {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS seen (event_id TEXT PRIMARY KEY, timestamp INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  }

  /**
   * Forgets the conversation (its contact's erasure): every stored event, its ids and the idle
   * alarm. Answers whether there was anything to forget. A later event starts a new conversation.
   */
  async erase(): Promise<boolean> {
    const had = this.ids() !== null || this.events().size > 0;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.cache = null;
    this.init();
    return had;
  }

  /** Adds events of this conversation (already-seen ids are ignored) and returns the new summary. */
  async apply(input: EventRecordInput[]): Promise<ConversationSummary | null> {
    const events = applyInputSchema.parse(input);
    for (const e of events) this.remember(e);
    return this.refresh(await this.options());
  }

  /** The current summary, or null for a conversation without activity. */
  async summary(): Promise<ConversationSummary | null> {
    return this.compute(await this.options()).summary;
  }

  /** Resolves the conversation when it has been idle long enough, else re-arms for the new deadline. */
  async alarm(): Promise<void> {
    const options = await this.options();
    const { conversation, ids } = this.compute(options);
    if (!ids || conversation.state === "resolved" || conversation.last_activity_at === null) return;
    const deadline = conversation.last_activity_at + this.idleMs();
    if (Date.now() < deadline) return void (await this.setAlarm(deadline));
    const event = await idleResolution(ids, deadline, this.idleMs());
    // Enqueue before remembering: if the send fails the alarm is retried and still sees an open conversation.
    await enqueue(this.env.EVENTS, [{ kind: "event", event }]);
    this.remember(eventRecordSchema.parse(event));
    await this.refresh(options);
  }

  private remember(e: EventRecord) {
    const ids = this.ids();
    if (!e.conversation_id || (ids && (ids.project_id !== e.project_id || ids.conversation_id !== e.conversation_id))) return;
    if (!ids) {
      this.setMeta("ids", { project_id: e.project_id, conversation_id: e.conversation_id, external_id: e.external_id ?? null });
    } else if (!ids.external_id && e.external_id) {
      this.setMeta("ids", { ...ids, external_id: e.external_id });
    }
    const body: ConversationEvent = toConversationEvent(e);
    const events = this.events();
    if (events.has(e.event_id)) return;
    this.sql.exec("INSERT OR IGNORE INTO seen (event_id, timestamp, body) VALUES (?, ?, ?)", e.event_id, e.timestamp, JSON.stringify(body));
    events.set(e.event_id, body);
  }

  private events(): Map<string, ConversationEvent> {
    if (!this.cache) {
      const rows = this.sql.exec<{ body: string }>("SELECT body FROM seen").toArray();
      this.cache = new Map(rows.map((r) => JSON.parse(r.body) as ConversationEvent).map((e) => [e.event_id, e]));
    }
    return this.cache;
  }

  /** The project's settings that change how events fold (grace window for follow-ups). */
  private async options(): Promise<FoldOptions> {
    const ids = this.ids();
    const project = ids ? await getProject(this.env.DB, ids.project_id) : null;
    return { followUpGraceMs: project?.followUpGraceMs ?? DEFAULT_FOLLOW_UP_GRACE_SECONDS * 1000 };
  }

  private compute(options: FoldOptions) {
    const conversation = fold([...this.events().values()], options);
    const ids = this.ids();
    const last = this.getMeta<number>("updated_at") ?? 0;
    // Delivery receipts alone (a template whose send we never saw) do not make a conversation.
    const summary = ids && conversation.opened_at !== null ? toSummary(conversation, ids, Math.max(Date.now(), last + 1)) : null;
    return { conversation, ids, summary };
  }

  /** Sends the summary when it changed since the last one sent, and arms the idle alarm. */
  private async refresh(options: FoldOptions): Promise<ConversationSummary | null> {
    const { conversation, summary } = this.compute(options);
    if (!summary) return null;
    if (conversation.state === "resolved" || conversation.last_activity_at === null) await this.ctx.storage.deleteAlarm();
    else await this.setAlarm(conversation.last_activity_at + this.idleMs());
    const { updated_at: _, ...content } = summary;
    const fingerprint = JSON.stringify(content);
    if (this.getMeta<string>("sent") === fingerprint) return summary;
    // updated_at orders summaries in D1, so it must grow even if the clock does not.
    this.setMeta("updated_at", summary.updated_at);
    await enqueue(this.env.EVENTS, [{ kind: "conversation_summary", summary }]);
    this.setMeta("sent", fingerprint);
    return summary;
  }

  /**
   * Arms the idle alarm, clamped to [now, now + a year]: event times are bounded at the edge, but
   * an alarm must never throw on a time (a conversation whose alarm throws would be stuck).
   */
  private async setAlarm(at: number): Promise<void> {
    const now = Date.now();
    const when = Number.isFinite(at) ? Math.min(Math.max(at, now), now + MAX_ALARM_AHEAD_MS) : now;
    await this.ctx.storage.setAlarm(when);
  }

  private idleMs(): number {
    const seconds = Number(this.env.CONVERSATION_IDLE_SECONDS);
    return (Number.isFinite(seconds) && seconds > 0 ? seconds : 86_400) * 1000;
  }

  private ids() {
    return this.getMeta<ConversationIds>("ids");
  }

  private getMeta<T>(key: string): T | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  private setMeta(key: string, value: unknown) {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, JSON.stringify(value));
  }
}
