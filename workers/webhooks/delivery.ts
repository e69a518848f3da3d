import type { QueueMessageInput } from "../contract";
import { ApiError } from "../lib/http";
import { enqueue } from "../lib/queue";
import { parseJsonBytes } from "./body";
import type { WebhookDeliveryMessage } from "./queue-kinds";

type Provider = WebhookDeliveryMessage["provider"];
type Outcome = WebhookDeliveryMessage["outcome"];

const MAX_AUDIT_IDS = 500;

/**
 * Collects what one authentic webhook delivery produced and puts it on the Queue together with
 * its audit row(s) — one per project touched — before the webhook is answered.
 */
export class Delivery {
  private readonly messages: QueueMessageInput[] = [];
  private readonly ids = new Map<string, string[]>();

  constructor(
    readonly provider: Provider,
    readonly endpoint: string,
    readonly receivedAt: number,
    readonly sizeBytes: number,
    readonly deliveryRef: string | null = null,
  ) {}

  /** Adds Queue messages produced for `project`. */
  add(project: string, messages: QueueMessageInput[]): void {
    const ids = this.ids.get(project) ?? [];
    for (const m of messages) if (m.kind === "event") ids.push(m.event.event_id);
    this.ids.set(project, ids);
    this.messages.push(...messages);
  }

  /**
   * Parses an authentic body as JSON. One that is not JSON still gets an audit row (the provider
   * will keep retrying it) and a 400 naming the problem.
   */
  async parseJson(env: Cloudflare.Env, bytes: Uint8Array): Promise<unknown> {
    try {
      return parseJsonBytes(bytes);
    } catch (err) {
      const id = await this.commit(env, "invalid", 400);
      throw new ApiError(400, "invalid_json", (err as Error).message, undefined, { "x-junction-delivery": id });
    }
  }

  get eventCount(): number {
    return this.messages.filter((m) => m.kind === "event").length;
  }

  /**
   * Enqueues events and audit rows; `fallbackProject` owns the audit row when nothing mapped.
   * Returns the delivery id, which responses carry as `X-Junction-Delivery` for support questions.
   */
  async commit(env: Cloudflare.Env, outcome: Outcome, httpStatus: number, fallbackProject: string = env.DEFAULT_PROJECT): Promise<string> {
    const projects = this.ids.size ? [...this.ids.entries()] : [[fallbackProject, []] as [string, string[]]];
    const id = crypto.randomUUID();
    const audits: QueueMessageInput[] = projects.map(([project, ids]) => ({
      kind: "webhook_delivery",
      id: projects.length > 1 ? `${id}:${project}` : id,
      project_id: project,
      provider: this.provider,
      endpoint: this.endpoint,
      received_at: this.receivedAt,
      verified: true,
      size_bytes: this.sizeBytes,
      outcome,
      http_status: httpStatus,
      event_ids: ids.slice(0, MAX_AUDIT_IDS),
      delivery_ref: this.deliveryRef?.slice(0, 128) ?? null,
    }));
    await enqueue(env.EVENTS, [...this.messages, ...audits]);
    return id;
  }
}
