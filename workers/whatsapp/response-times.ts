import type { Filters } from "../lib/filters";
import { distributions, EMPTY } from "../lib/distribution";
import { CONVERSATIONS_IN_RANGE } from "../lib/filters/whatsapp";

// Each source is a (key, ms) row set over the conversations opened in the range. Human times
// come from ConversationDO, which already leaves out the time the bot owned the conversation.
const SOURCES = [
  ["first.human", "SELECT 'first.human', first_response_ms FROM conversations WHERE " + CONVERSATIONS_IN_RANGE],
  ["first.bot", "SELECT 'first.bot', bot_first_response_ms FROM conversations WHERE " + CONVERSATIONS_IN_RANGE],
  ["all.human", "SELECT 'all.human', j.value FROM conversations, json_each(response_times_json) j WHERE " + CONVERSATIONS_IN_RANGE],
  ["all.bot", "SELECT 'all.bot', j.value FROM conversations, json_each(bot_response_times_json) j WHERE " + CONVERSATIONS_IN_RANGE],
] as const;

/** Response times (s): first response and every response, bot and human apart. */
export async function responseTimes(db: D1Database, project: string, f: Filters) {
  const d = await distributions(db, SOURCES.map(([, sql]) => sql).join(" UNION ALL "), [project, f.from, f.to]);
  const get = (k: string) => d.get(k) ?? EMPTY;
  return {
    first: { human: get("first.human"), bot: get("first.bot") },
    all: { human: get("all.human"), bot: get("all.bot") },
  };
}
