import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { CONVERSATION_ID_MAX, whatsAppIdSchema } from "../contract";

export const handshakeSchema = z.object({
  project_id: z.string().min(1).max(64),
  /** The contact: E.164 phone or business-scoped user id. */
  external_id: whatsAppIdSchema,
  conversation_id: z.string().min(1).max(CONVERSATION_ID_MAX),
  issued_at: z.number().int(),
  expires_at: z.number().int(),
});
export type Handshake = z.infer<typeof handshakeSchema>;

const redeemSchema = z.object({ project_id: z.string().min(1), event_id: z.string().min(1), at: z.number().int() });
export type RedeemOutcome = "redeemed" | "expired" | "unknown" | "reused";
export type RedeemResult = { outcome: RedeemOutcome; handshake?: Handshake };

// Keep a spent or expired token around for a week, so a late attempt is reported as what it is.
const RETAIN_MS = 7 * 86_400_000;

/**
 * One per handshake token (`idFromName(token)`): single use, expiring. A Durable Object is the one
 * place where "redeem once" holds under concurrency: its calls run one at a time.
 */
export class HandshakeDO extends DurableObject<Cloudflare.Env> {
  /** Stores a freshly issued token; a second issue of the same token is refused. */
  async issue(input: Handshake): Promise<void> {
    const h = handshakeSchema.parse(input);
    if (await this.ctx.storage.get("handshake")) throw new Error("handshake token already issued");
    await this.ctx.storage.put("handshake", h);
    await this.ctx.storage.setAlarm(h.expires_at + RETAIN_MS);
  }

  /**
   * Redeems the token for one `handshake_complete` event. The same event redeeming again (a
   * redelivered batch) gets the same answer; any other event after it is a reuse.
   */
  async redeem(input: z.input<typeof redeemSchema>): Promise<RedeemResult> {
    const r = redeemSchema.parse(input);
    const h = await this.ctx.storage.get<Handshake>("handshake");
    if (!h || h.project_id !== r.project_id) return { outcome: "unknown" };
    const redeemedBy = await this.ctx.storage.get<string>("redeemed_by");
    if (redeemedBy) return redeemedBy === r.event_id ? { outcome: "redeemed", handshake: h } : { outcome: "reused" };
    if (r.at > h.expires_at) return { outcome: "expired" };
    await this.ctx.storage.put({ redeemed_by: r.event_id, redeemed_at: r.at });
    return { outcome: "redeemed", handshake: h };
  }

  /** Forgets the token and its contact at once (a person's erasure); a later redeem finds it unknown. */
  async erase(): Promise<boolean> {
    const had = (await this.ctx.storage.get("handshake")) !== undefined;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    return had;
  }

  /** Forgets the token once it can no longer matter. */
  async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
