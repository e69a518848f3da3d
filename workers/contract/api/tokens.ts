import { z } from "zod";
import { TOKEN_SCOPES } from "../events";
import { isoTimeSchema } from "./shared";

/** A project token as listed: never its secret. */
export const projectTokenSchema = z.strictObject({
  id: z.string(),
  scope: z.enum(TOKEN_SCOPES),
  name: z.string(),
  /** Share links only: the dashboard view (URL hash) the link opens. */
  view: z.string().nullable(),
  created_at: isoTimeSchema,
  revoked_at: isoTimeSchema.nullable(),
});
export type ProjectToken = z.infer<typeof projectTokenSchema>;

/** `POST /tokens` (201): the token and, this once, its secret. */
export const projectTokenCreatedSchema = projectTokenSchema.extend({ token: z.string() });
export type ProjectTokenCreated = z.infer<typeof projectTokenCreatedSchema>;

/** `GET /tokens`: newest first, revoked ones included. */
export const projectTokensSchema = z.strictObject({ tokens: z.array(projectTokenSchema) });
export type ProjectTokens = z.infer<typeof projectTokensSchema>;

/** `DELETE /tokens/{id}`: the id revoked. */
export const tokenRevokedSchema = z.strictObject({ revoked: z.string() });
