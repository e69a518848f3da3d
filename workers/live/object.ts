import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { conversationCounts, LIVE_WINDOW_MS, type LiveSnapshot } from "./snapshot";

// Pushes coalesce: at most one per second from arrivals, plus a refresh every few seconds while
// anyone watches (visitors age out of the window without any new event).
const PUSH_GAP_MS = 1_000;
const REFRESH_MS = 5_000;
const SUMMARY_LAG_MS = 1_500;

const ingestSchema = z.object({
  project: z.string().min(1).max(64),
  visitors: z.array(z.tuple([z.string().min(1).max(128), z.number().int().nonnegative()])).max(1000),
  conversations: z.boolean(),
});
export type LiveIngest = z.infer<typeof ingestSchema>;

/**
 * One per project: pushes live visitors and open conversations to dashboards over hibernating
 * WebSockets. Visitors' last-seen times live in this object's SQLite, so a snapshot never scans D1's events.
 */
export class LiveDO extends DurableObject<Cloudflare.Env> {
  private lastPush = 0;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS visitors (anonymous_id TEXT PRIMARY KEY, last_seen INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS visitors_last_seen ON visitors (last_seen);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  }

  /** Records a consumer batch's visitors and pushes fresh numbers to the dashboards watching. */
  async ingest(input: LiveIngest): Promise<void> {
    const { project, visitors, conversations } = ingestSchema.parse(input);
    this.remember(project);
    for (const [id, seen] of visitors) {
      this.ctx.storage.sql.exec(
        `INSERT INTO visitors (anonymous_id, last_seen) VALUES (?, ?)
         ON CONFLICT(anonymous_id) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)`,
        id,
        seen,
      );
    }
    // Pruned here too, so the table stays at "the last five minutes" even when nobody watches.
    this.ctx.storage.sql.exec("DELETE FROM visitors WHERE last_seen < ?", Date.now() - LIVE_WINDOW_MS);
    if (!this.ctx.getWebSockets().length) return;
    if (Date.now() - this.lastPush >= PUSH_GAP_MS) await this.push();
    else await this.scheduleRefresh(this.lastPush + PUSH_GAP_MS);
    // WhatsApp events reach the conversations table one Queue hop later (as summaries): look again soon.
    if (conversations) await this.scheduleRefresh(Date.now() + SUMMARY_LAG_MS);
  }

  /** The current numbers (also what `/live/snapshot` answers). */
  async snapshot(project: string): Promise<LiveSnapshot> {
    this.remember(z.string().min(1).max(64).parse(project));
    return this.compute(project);
  }

  /** Upgrades a dashboard's request to a hibernating WebSocket and sends it the numbers at once. */
  async fetch(request: Request): Promise<Response> {
    const project = new URL(request.url).searchParams.get("project");
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !project) {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    this.remember(project);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.send(JSON.stringify(await this.compute(project)));
    await this.scheduleRefresh(Date.now() + REFRESH_MS);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Any message asks for the numbers now (lets a dashboard refresh after waking from sleep). */
  async webSocketMessage(ws: WebSocket): Promise<void> {
    const project = this.project();
    if (project) ws.send(JSON.stringify(await this.compute(project)));
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed by the runtime's automatic close reply.
    }
  }

  async alarm(): Promise<void> {
    if (!this.ctx.getWebSockets().length) return;
    await this.push();
    await this.scheduleRefresh(Date.now() + REFRESH_MS);
  }

  private async push(): Promise<void> {
    const project = this.project();
    if (!project) return;
    this.lastPush = Date.now();
    const message = JSON.stringify(await this.compute(project));
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(message);
      } catch {
        // A socket closing mid-send; webSocketClose cleans it up.
      }
    }
  }

  private async compute(project: string): Promise<LiveSnapshot> {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM visitors WHERE last_seen < ?", now - LIVE_WINDOW_MS);
    const active = sql.exec<{ n: number }>("SELECT count(*) AS n FROM visitors").one().n;
    const conversations = await conversationCounts(this.env.DB, project, now);
    return { active_visitors: active, ...conversations, at: new Date(now).toISOString() };
  }

  /** Keeps the earlier of the pending alarm and `at`. */
  private async scheduleRefresh(at: number): Promise<void> {
    const pending = await this.ctx.storage.getAlarm();
    if (pending == null || pending > at) await this.ctx.storage.setAlarm(at);
  }

  // A DO created by idFromName does not know its name; the project id is kept for alarms.
  private remember(project: string): void {
    this.ctx.storage.sql.exec("INSERT OR IGNORE INTO meta (key, value) VALUES ('project', ?)", project);
  }

  private project(): string | undefined {
    return this.ctx.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'project'").toArray()[0]?.value;
  }
}
