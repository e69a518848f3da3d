import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { eventRecordSchema, SLA_BREACHED_EVENT, type EventRecord, type EventRecordInput } from "../contract";
import { toConversationEvent } from "./fold";
import { idleResolution, type ConversationIds } from "./idle";
import type { ConversationSummary } from "../contract";
import { toSummary } from "./summary";
import type { ConversationEvent } from "./types";
import { enqueue } from "../lib/queue";
import { DEFAULT_FOLLOW_UP_GRACE_SECONDS, getProject } from "../lib/projects";
import type { FoldOptions } from "./state-machine";
import { breachEvent, newsworthyBreaches, slaState } from "./sla";
import { activePolicies } from "./sla-policies";
import { withSla, type FrozenCycles, type SlaOptions } from "./sla-summary";
import { foldTimed } from "./timed-fold";

type Options = FoldOptions & SlaOptions;

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
    // Before the idle deadline the alarm is an SLA deadline: refresh records the breach and re-arms.
    if (Date.now() < deadline) return void (await this.refresh(options));
    const event = await idleResolution(ids, deadline, this.idleMs());
    // Enqueue before remembering: if the send fails the alarm is retried and still sees an open conversation.
    await enqueue(this.env.EVENTS, [{ kind: "event", event }]);
    this.remember(eventRecordSchema.parse(event));
    await this.refresh(options);
  }

  private remember(e: EventRecord) {
    // The object's own SLA events are about the conversation, not part of it.
    if (e.event_name === SLA_BREACHED_EVENT) return;
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

  /** The project's settings that change how events fold (grace window for follow-ups, business hours, SLA policies). */
  private async options(): Promise<Options> {
    const ids = this.ids();
    const [project, policies] = ids
      ? await Promise.all([getProject(this.env.DB, ids.project_id), activePolicies(this.env.DB, ids.project_id)])
      : [null, []];
    return {
      followUpGraceMs: project?.followUpGraceMs ?? DEFAULT_FOLLOW_UP_GRACE_SECONDS * 1000,
      schedule: project?.businessHours ?? null,
      policies,
    };
  }

  private compute(options: Options) {
    const { conversation, spans } = foldTimed([...this.events().values()], options);
    const ids = this.ids();
    const last = this.getMeta<number>("updated_at") ?? 0;
    const now = Date.now();
    // Delivery receipts alone (a template whose send we never saw) do not make a conversation.
    if (!ids || conversation.opened_at === null) return { conversation, ids, summary: null, frozen: null };
    const frozen = this.getMeta<FrozenCycles>("closed_cycles") ?? {};
    const sla = withSla(toSummary(conversation, ids, Math.max(now, last + 1)), conversation, spans, options, now, frozen);
    return { conversation, ids, ...sla };
  }

  /** Records SLA breaches, sends the summary when it changed since the last one sent, and arms the idle or SLA alarm. */
  private async refresh(options: Options): Promise<ConversationSummary | null> {
    const { conversation, ids, summary, frozen } = this.compute(options);
    if (!summary || !ids) return null;
    // Closed cycles keep the schedule and policy they closed with (docs/support-metrics.md).
    if (frozen && JSON.stringify(frozen) !== JSON.stringify(this.getMeta<FrozenCycles>("closed_cycles") ?? {}))
      this.setMeta("closed_cycles", frozen);
    const current = summary.cycles.at(-1);
    await this.recordBreaches(ids, current, options);
    const { nextDue } = slaState(current?.sla);
    const idle =
      conversation.state === "resolved" || conversation.last_activity_at === null ? null : conversation.last_activity_at + this.idleMs();
    const wake = Math.min(idle ?? Infinity, nextDue ?? Infinity);
    if (wake === Infinity) await this.ctx.storage.deleteAlarm();
    else await this.setAlarm(wake);
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
   * Sends one `sla_breached` event per breached target of the current cycle, once: enqueued before it
   * is remembered (a failed send is retried by the next refresh or alarm), and its id is derived from
   * (conversation, cycle, target), so a repeat is stored once. Earlier cycles had theirs while current.
   */
  private async recordBreaches(ids: ConversationIds, cycle: ConversationSummary["cycles"][number] | undefined, o: Options): Promise<void> {
    if (!cycle) return;
    const sent = new Set(this.getMeta<string[]>("sla_breaches") ?? []);
    const fresh = newsworthyBreaches(cycle.sla, o.policies).filter((t) => !sent.has(`${cycle.cycle}:${t}`));
    if (!fresh.length) return;
    const events = await Promise.all(fresh.map((t) => breachEvent(ids, cycle, t)));
    await enqueue(
      this.env.EVENTS,
      events.map((event) => ({ kind: "event" as const, event })),
    );
    this.setMeta("sla_breaches", [...sent, ...fresh.map((t) => `${cycle.cycle}:${t}`)].slice(-200));
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
