import { z } from "zod";
import { RECIPIENT_STATUSES } from "../contract";

export const recipientsQuerySchema = z.strictObject({
  status: z.enum(RECIPIENT_STATUSES).optional(),
  after: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

type Row = {
  person_id: string;
  address: string;
  variant: string;
  status: (typeof RECIPIENT_STATUSES)[number];
  reason: string | null;
  error_code: string | null;
  attempts: number;
  not_before: number | null;
  provider_message_id: string | null;
  sent_at: number | null;
};

const iso = (t: number | null) => (t == null ? null : new Date(t).toISOString());

/** A page of the audience snapshot in person_id order, optionally of one status. */
export async function recipientPage(db: D1Database, campaignId: string, q: z.infer<typeof recipientsQuerySchema>) {
  const { results } = await db
    .prepare(
      `SELECT person_id, address, variant, status, reason, error_code, attempts, not_before, provider_message_id, sent_at FROM campaign_recipients
       WHERE campaign_id = ?1 AND (?2 IS NULL OR status = ?2) AND person_id > ?3 ORDER BY person_id LIMIT ?4`,
    )
    .bind(campaignId, q.status ?? null, q.after ?? "", q.limit)
    .all<Row>();
  return {
    recipients: results.map((r) => ({ ...r, not_before: iso(r.not_before), sent_at: iso(r.sent_at) })),
    next_cursor: results.length === q.limit ? results[results.length - 1]!.person_id : null,
  };
}
