import { z } from "zod";
import { isoTimeSchema } from "./shared";

/** A share link as listed: never its secret. */
export const shareSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** The dashboard view (URL hash, e.g. `#/overview?range=30d`) the link opens, or null for the default view. */
  view: z.string().nullable(),
  created_at: isoTimeSchema,
  revoked_at: isoTimeSchema.nullable(),
});
export type Share = z.infer<typeof shareSchema>;

/** `POST /shares` (201): the link, its token and, this once, the URL that opens the read-only dashboard. */
export const shareCreatedSchema = shareSchema.extend({ token: z.string(), url: z.string() });
export type ShareCreated = z.infer<typeof shareCreatedSchema>;

/** `GET /shares`: newest first, revoked ones included. */
export const sharesSchema = z.strictObject({ shares: z.array(shareSchema) });
export type Shares = z.infer<typeof sharesSchema>;

/** `DELETE /shares/{id}`: the id revoked. */
export const shareRevokedSchema = z.strictObject({ revoked: z.string() });
