import { z } from "zod";

/** A message the consumer could not store; times are epoch milliseconds, as stored. */
export const deadLetterSchema = z.strictObject({
  id: z.number().int().positive(),
  queue: z.string(),
  message_id: z.string(),
  /** The Queue message as JSON, or its text when it does not parse. */
  body: z.unknown(),
  error: z.string(),
  attempts: z.number().int().nonnegative(),
  failed_at: z.number().int(),
  replayed_at: z.number().int().nullable(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

/** `GET /dead-letters` (admin): the newest 500. */
export const deadLettersSchema = z.strictObject({ dead_letters: z.array(deadLetterSchema) });
export type DeadLetters = z.infer<typeof deadLettersSchema>;

/** `POST /dead-letters/replay` (202): how many were queued again and how many had no JSON body. */
export const replayAllSchema = z.strictObject({ replayed: z.number().int().nonnegative(), skipped: z.number().int().nonnegative() });
/** `POST /dead-letters/{id}/replay` (202): the id queued again. */
export const replayOneSchema = z.strictObject({ replayed: z.number().int().positive() });
