import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { eventRecordSchema, type EventRecord, type EventRecordInput } from "../contract";
import { fold, toConversationEvent } from "../conversation/fold";
import { idleResolution, type ConversationIds } from "../conversation/idle";
import { toSummary, type ConversationSummary } from "../conversation/summary";
import type { ConversationEvent } from "../conversation/types";
import { enqueue } from "../lib/queue";

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
    this.sql.exec(`CREATE TABLE IF NOT EXISTS seen (event_id TEXT PRIMARY KEY, timestamp INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  }

  /** Adds events of this conversation (already-seen ids are ignored) and returns the new summary. */
  async apply(input: EventRecordInput[]): Promise<ConversationSummary | null> {
    const events = applyInputSchema.parse(input);
    for (const e of events) this.remember(e);
    return this.refresh();
  }

  /** The current summary, or null for a conversation without activity. */
  async summary(): Promise<ConversationSummary | null> {
    return this.compute().summary;
  }

  /** Resolves the conversation when it has been idle long enough, else re-arms for the new deadline. */
  async alarm(): Promise<void> {
    const { conversation, ids } = this.compute();
    if (!ids || conversation.state === "resolved" || conversation.last_activity_at === null) return;
    const deadline = conversation.last_activity_at + this.idleMs();
    if (Date.now() < deadline) return void (await this.ctx.storage.setAlarm(deadline));
    const event = await idleResolution(ids, deadline, this.idleMs());
    // Enqueue before remembering: if the send fails the alarm is retried and still sees an open conversation.
    await enqueue(this.env.EVENTS, [{ kind: "event", event }]);
    this.remember(eventRecordSchema.parse(event));
    await this.refresh();
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

  private compute() {
    const conversation = fold([...this.events().values()]);
    const ids = this.ids();
    const last = this.getMeta<number>("updated_at") ?? 0;
    // Delivery receipts alone (a template whose send we never saw) do not make a conversation.
    const summary = ids && conversation.opened_at !== null ? toSummary(conversation, ids, Math.max(Date.now(), last + 1)) : null;
    return { conversation, ids, summary };
  }

  /** Sends the summary when it changed since the last one sent, and arms the idle alarm. */
  private async refresh(): Promise<ConversationSummary | null> {
    const { conversation, summary } = this.compute();
    if (!summary) return null;
    if (conversation.state === "resolved" || conversation.last_activity_at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(Date.now(), conversation.last_activity_at + this.idleMs()));
    const { updated_at: _, ...content } = summary;
    const fingerprint = JSON.stringify(content);
    if (this.getMeta<string>("sent") === fingerprint) return summary;
    // updated_at orders summaries in D1, so it must grow even if the clock does not.
    this.setMeta("updated_at", summary.updated_at);
    await enqueue(this.env.EVENTS, [{ kind: "conversation_summary", summary }]);
    this.setMeta("sent", fingerprint);
    return summary;
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
