import { z } from "zod";
import { businessHoursSchema } from "../business-hours";

/** `POST /projects` (admin, 201): the project as saved, and its read token (shown once, stored as a hash). */
export const projectCreatedSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  allowed_origins: z.array(z.string()),
  whatsapp_accounts: z.array(z.string()),
  default_country: z.string().nullable(),
  follow_up_grace_seconds: z.number().int(),
  internal_hosts: z.array(z.string()),
  read_token: z.string(),
});
export type ProjectCreated = z.infer<typeof projectCreatedSchema>;

/** `PATCH /projects/{project}` (admin, 200): the project's settings after the change. */
export const projectSettingsSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  allowed_origins: z.array(z.string()),
  whatsapp_accounts: z.array(z.string()),
  /** Days raw events are kept; null keeps them forever (docs/privacy.md). */
  retention_days: z.number().int().positive().nullable(),
  /** A short customer message this soon after a resolution is a follow-up, not a reopen (docs/support-metrics.md). */
  follow_up_grace_seconds: z.number().int(),
  /** The project's own hosts: referrers from them are internal navigation. */
  internal_hosts: z.array(z.string()),
  /** Country typed phone numbers without country code are read in (ISO 3166-1 alpha-2); null: none. */
  default_country: z.string().nullable(),
  /** Business hours durations and SLA targets can be measured in; null: every hour counts (docs/support-metrics.md). */
  business_hours: businessHoursSchema.nullable(),
});
export type ProjectSettings = z.infer<typeof projectSettingsSchema>;
