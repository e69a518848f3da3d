import { z } from "zod";
import { isoTimeSchema } from "./shared";

/** `POST /api/handshakes` (201): a one-time link tying a WhatsApp contact to the web visitor who opens it. */
export const handshakeIssuedSchema = z.strictObject({
  token: z.string(),
  expires_at: isoTimeSchema,
  url: z.url(),
  conversation_id: z.string(),
  /** The contact: its phone (E.164) or its WhatsApp business-scoped user id. */
  external_id: z.string(),
});
export type HandshakeIssued = z.infer<typeof handshakeIssuedSchema>;

/** `GET /handshakes/stats`: tokens issued and the outcome of every redemption attempt. */
export const handshakeStatsSchema = z.strictObject({
  issued: z.number().int().nonnegative(),
  redeemed: z.number().int().nonnegative(),
  expired: z.number().int().nonnegative(),
  unknown: z.number().int().nonnegative(),
  reused: z.number().int().nonnegative(),
  /** expired + unknown + reused. */
  rejected: z.number().int().nonnegative(),
});
export type HandshakeStats = z.infer<typeof handshakeStatsSchema>;
