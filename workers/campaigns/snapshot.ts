import { pickVariant } from "./rules";
import { variantsOf, type CampaignRow } from "./store";

/** One segment member as the snapshot needs it. */
export type AudienceMember = { person_id: string; whatsapp: string | null; timezone: string | null };

/**
 * Reads a segment's members, page by page (keyset on person_id). Segments are another feature,
 * so the entry point that mounts the campaign API supplies it (workers/api/index.ts); opening an
 * unknown segment throws its 404.
 */
export interface AudienceSource {
  open(db: D1Database, projectId: string, segmentId: string): Promise<(after: string, limit: number) => Promise<AudienceMember[]>>;
}

const PAGE = 500;

/**
 * Freezes the audience at launch: one `pending` recipient per segment member with a WhatsApp
 * identity, each with its variant. INSERT OR IGNORE on (campaign, person), so a retried launch
 * adds nobody twice. Returns the audience size.
 */
export async function snapshotAudience(
  db: D1Database,
  page: (after: string, limit: number) => Promise<AudienceMember[]>,
  c: CampaignRow,
): Promise<number> {
  const variants = variantsOf(c);
  const insert = db.prepare(
    `INSERT OR IGNORE INTO campaign_recipients (campaign_id, project_id, person_id, address, timezone, variant, status, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)`,
  );
  const now = Date.now();
  let after = "";
  for (;;) {
    const members = await page(after, PAGE);
    const reachable = members.filter((m) => m.whatsapp);
    if (reachable.length) {
      await db.batch(
        reachable.map((m) =>
          insert.bind(c.id, c.project_id, m.person_id, m.whatsapp, m.timezone, pickVariant(variants, c.id, m.person_id).name, now),
        ),
      );
    }
    if (members.length < PAGE) break;
    after = members[members.length - 1]!.person_id;
  }
  const row = await db.prepare("SELECT count(*) AS n FROM campaign_recipients WHERE campaign_id = ?").bind(c.id).first<{ n: number }>();
  return row?.n ?? 0;
}
