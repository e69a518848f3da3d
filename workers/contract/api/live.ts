import { z } from "zod";
import { isoTimeSchema } from "./shared";

/** What the live socket pushes and `GET /live/snapshot` answers; "active" means seen in the last five minutes. */
export const liveSnapshotSchema = z.strictObject({
  active_visitors: z.number().int().nonnegative(),
  open_conversations: z.number().int().nonnegative(),
  queued: z.number().int().nonnegative(),
  at: isoTimeSchema,
});
export type LiveSnapshot = z.infer<typeof liveSnapshotSchema>;
