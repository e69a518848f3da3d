// Which project a provider account belongs to: projects.whatsapp_accounts holds
// `meta:<phone_number_id>`, `twilio:<E.164>`, `chatwoot:<account id>`. Webhooks are hot and
// mappings change rarely, so lookups (misses included) are cached per isolate for a minute.
const TTL_MS = 60_000;
const cache = new Map<string, { at: number; project: string | null }>();

/** The project mapped to `account`, or env.DEFAULT_PROJECT when none is. */
export async function projectForAccount(env: Cloudflare.Env, account: string): Promise<string> {
  const hit = cache.get(account);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.project ?? env.DEFAULT_PROJECT;
  const row = await env.DB.prepare(
    "SELECT p.id FROM projects p, json_each(p.whatsapp_accounts) a WHERE a.value = ? ORDER BY p.id LIMIT 1",
  )
    .bind(account)
    .first<{ id: string }>();
  if (cache.size > 10_000) cache.clear();
  cache.set(account, { at: Date.now(), project: row?.id ?? null });
  return row?.id ?? env.DEFAULT_PROJECT;
}

/** Resolves many accounts at once (a Meta POST can carry several phone numbers). */
export async function projectsForAccounts(env: Cloudflare.Env, accounts: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(accounts)];
  const projects = await Promise.all(unique.map((a) => projectForAccount(env, a)));
  return new Map(unique.map((a, i) => [a, projects[i]]));
}
