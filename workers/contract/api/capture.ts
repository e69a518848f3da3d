import { z } from "zod";
import { rejectedSchema } from "./errors";

/** `POST /capture` (202): how many events were queued and why each refused one was refused. */
export const captureResponseSchema = z.strictObject({ accepted: z.number().int().nonnegative(), rejected: rejectedSchema });
export type CaptureResponse = z.infer<typeof captureResponseSchema>;

/** `GET /health`. */
export const healthSchema = z.strictObject({ ok: z.literal(true) });
