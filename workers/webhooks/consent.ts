export type Consent = "opted_in" | "opted_out";

const normalize = (s: string) => s.trim().replace(/\s+/g, " ").toUpperCase();

const lists = new Map<string, Set<string>>();
function keywords(csv: string | undefined): Set<string> {
  const key = csv ?? "";
  let set = lists.get(key);
  if (!set) {
    set = new Set(key.split(",").map(normalize).filter(Boolean));
    lists.set(key, set);
  }
  return set;
}

/**
 * The consent a message expresses: the whole message (trimmed, case-insensitive) equal to one of
 * env.OPT_OUT_KEYWORDS / OPT_IN_KEYWORDS. "Stop sending me the wrong size" is not an opt-out.
 */
export function consentFromText(env: Cloudflare.Env, text: string | null | undefined): Consent | null {
  if (!text || text.length > 64) return null;
  const t = normalize(text);
  if (keywords(env.OPT_OUT_KEYWORDS).has(t)) return "opted_out";
  if (keywords(env.OPT_IN_KEYWORDS).has(t)) return "opted_in";
  return null;
}
