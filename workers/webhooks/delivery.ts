import { z } from "zod";
import {
  bodyWithinDepth,
  clampProviderTime,
  MAX_BODY_DEPTH,
  MAX_EVENT_BYTES,
  queueMessageSchema,
  UNMAPPED_PROJECT,
  type QueueMessageInput,
} from "../contract";
import { ApiError } from "../lib/http";
import { enqueue } from "../lib/queue";
import { parseJsonBytes } from "./body";
import type { WebhookDeliveryMessage } from "../contract/webhooks";

type Provider = WebhookDeliveryMessage["provider"];
type Outcome = WebhookDeliveryMessage["outcome"];

const MAX_AUDIT_IDS = 500;

type Problem =
  | { status: 400; code: "value_too_deep" | "invalid_payload"; message: string }
  | { status: 413; code: "payload_too_large"; message: string };

/**
 * Puts one normalized message inside the edge's bounds (contract/limits.ts), whatever the
 * provider sent: times outside the window become the receive time (the event is flagged
 * `timestamp_clamped`); then the message must pass the consumer's own contract and fit
 * MAX_EVENT_BYTES, or the delivery is refused. So an acknowledged webhook is always storable.
 */
export function boundedMessage(m: QueueMessageInput, receivedAt: number): { message: QueueMessageInput } | { problem: Problem } {
  let message = m;
  if (m.kind === "event") {
    const t = clampProviderTime(m.event.timestamp, receivedAt);
    const properties = t.clamped ? { ...m.event.properties, timestamp_clamped: true } : m.event.properties;
    message = { ...m, event: { ...m.event, timestamp: t.time, properties } };
  } else if (m.kind === "contact") {
    const seen = clampProviderTime(m.seen_at, receivedAt).time;
    message = { ...m, seen_at: seen, consent_at: m.consent_at == null ? m.consent_at : clampProviderTime(m.consent_at, receivedAt).time };
  }
  const checked = queueMessageSchema.safeParse(message);
  if (!checked.success) {
    const deep = checked.error.issues.some((i) => i.message.includes("MAX_PROPERTY_DEPTH"));
    const text = z.prettifyError(checked.error).slice(0, 1000);
    return {
      problem: deep
        ? { status: 400, code: "value_too_deep", message: text }
        : { status: 400, code: "invalid_payload", message: `a value of the body cannot be stored: ${text}` },
    };
  }
  if (JSON.stringify(message).length > MAX_EVENT_BYTES) {
    return {
      problem: {
        status: 413,
        code: "payload_too_large",
        message: `one message of the body exceeds ${MAX_EVENT_BYTES} bytes of JSON (limit MAX_EVENT_BYTES)`,
      },
    };
  }
  return { message };
}

/**
 * Collects what one authentic webhook delivery produced and puts it on the Queue together with
 * its audit row(s) — one per project touched — before the webhook is answered.
 */
export class Delivery {
  private readonly messages: QueueMessageInput[] = [];
  private readonly ids = new Map<string, string[]>();
  private readonly unmapped = new Set<string>();
  /** Set when a message is outside the edge's bounds: the whole delivery is then refused at commit. */
  private problem: Problem | null = null;

  constructor(
    readonly provider: Provider,
    readonly endpoint: string,
    readonly receivedAt: number,
    readonly sizeBytes: number,
    readonly deliveryRef: string | null = null,
  ) {}

  /** Records an account that maps to no project: its events are stored nowhere, the audit says so. */
  addUnmapped(account: string): void {
    this.unmapped.add(account);
  }

  /** Adds Queue messages produced for `project`. */
  add(project: string, messages: QueueMessageInput[]): void {
    const ids = this.ids.get(project) ?? [];
    for (const raw of messages) {
      const b = boundedMessage(raw, this.receivedAt);
      if ("problem" in b) {
        this.problem ??= b.problem;
        continue;
      }
      if (b.message.kind === "event") ids.push(b.message.event.event_id);
      this.messages.push(b.message);
    }
    this.ids.set(project, ids);
  }

  /**
   * Parses an authentic body as JSON. One that is not JSON still gets an audit row (the provider
   * will keep retrying it) and a 400 naming the problem.
   */
  async parseJson(env: Cloudflare.Env, bytes: Uint8Array): Promise<unknown> {
    let body: unknown;
    try {
      body = parseJsonBytes(bytes);
    } catch (err) {
      const id = await this.commit(env, "invalid", 400);
      throw new ApiError(400, "invalid_json", (err as Error).message, undefined, { "x-junction-delivery": id });
    }
    if (!bodyWithinDepth(body)) {
      const id = await this.commit(env, "invalid", 400);
      throw new ApiError(400, "value_too_deep", `body nests deeper than ${MAX_BODY_DEPTH} levels (limit MAX_BODY_DEPTH)`, undefined, {
        "x-junction-delivery": id,
      });
    }
    return body;
  }

  get eventCount(): number {
    return this.messages.filter((m) => m.kind === "event").length;
  }

  /**
   * Enqueues events and audit rows: one per project touched, plus one for accounts that map to no
   * project. `fallbackProject` owns the audit row when nothing was added (an ignored or invalid
   * delivery); without one it is filed as unmapped. Returns the delivery id, which responses carry
   * as `X-Junction-Delivery` for support questions.
   */
  async commit(
    env: Cloudflare.Env,
    outcome: Outcome,
    httpStatus: number,
    fallbackProject: string | null = env.DEFAULT_PROJECT || null,
  ): Promise<string> {
    if (this.problem) {
      // Nothing of a refused delivery is stored: only its audit row, which says why.
      const p = this.problem;
      this.problem = null;
      this.messages.length = 0;
      const projects = [...this.ids.keys()];
      this.ids.clear();
      this.unmapped.clear();
      const id = await this.commit(env, "invalid", p.status, projects[0] ?? fallbackProject);
      const headers = { "x-junction-delivery": id };
      if (p.code === "payload_too_large") throw new ApiError(413, p.code, p.message, undefined, headers);
      if (p.code === "value_too_deep") throw new ApiError(400, p.code, p.message, undefined, headers);
      throw new ApiError(400, p.code, p.message, [{ path: "", message: p.message }], headers);
    }
    const projects: [string, string[], Outcome][] = [...this.ids.entries()].map(([p, ids]) => [p, ids, outcome]);
    if (this.unmapped.size) projects.push([UNMAPPED_PROJECT, [], "unmapped"]);
    if (!projects.length) projects.push([fallbackProject ?? UNMAPPED_PROJECT, [], fallbackProject ? outcome : "unmapped"]);
    const id = crypto.randomUUID();
    const accounts = [...this.unmapped].slice(0, MAX_AUDIT_IDS);
    const audits: QueueMessageInput[] = projects.map(([project, ids, outcome]) => ({
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
      ...(project === UNMAPPED_PROJECT ? { accounts } : {}),
    }));
    await enqueue(env.EVENTS, [...this.messages, ...audits]);
    return id;
  }
}
