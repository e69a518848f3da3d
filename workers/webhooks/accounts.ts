import { BoundedCache } from "../lib/cache";
import { PROJECT_CACHE_TTL_MS } from "../lib/projects";

// Which project a provider account belongs to: projects.whatsapp_accounts holds
// `meta:<phone_number_id>`, `twilio:<E.164>`, `chatwoot:<account id>`. Webhooks are hot and
// mappings change rarely, so lookups (misses included) are cached like projects: bounded, 10 s.
const cache = new BoundedCache<string, string | null>(10_000, PROJECT_CACHE_TTL_MS);

/**
 * The project mapped to `account`; when none is, `DEFAULT_PROJECT` if the deployment sets one
 * (the local demo does), else null: the delivery is acknowledged, audited as unmapped and its
 * events stored nowhere, so one customer's data never lands in another customer's project.
 */
export async function projectForAccount(env: Cloudflare.Env, account: string): Promise<string | null> {
  if (!cache.has(account)) {
    const row = await env.DB.prepare(
      "SELECT p.id FROM projects p, json_each(p.whatsapp_accounts) a WHERE a.value = ? ORDER BY p.id LIMIT 1",
    )
      .bind(account)
      .first<{ id: string }>();
    cache.set(account, row?.id ?? null);
  }
  return cache.get(account) ?? (env.DEFAULT_PROJECT || null);
}

/** Resolves many accounts at once (a Meta POST can carry several phone numbers). */
export async function projectsForAccounts(env: Cloudflare.Env, accounts: string[]): Promise<Map<string, string | null>> {
  const unique = [...new Set(accounts)];
  const projects = await Promise.all(unique.map((a) => projectForAccount(env, a)));
  return new Map(unique.map((a, i) => [a, projects[i]]));
}
