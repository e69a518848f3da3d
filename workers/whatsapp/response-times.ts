import type { HoursMode } from "../contract";
import type { Filters } from "../lib/filters";
import { distributions, EMPTY } from "../lib/distribution";
import { CONVERSATIONS_IN_RANGE } from "../lib/filters/whatsapp";

// Each source is a (key, ms) row set over the conversations opened in the range. Human times
// come from ConversationDO, which already leaves out the time the bot owned the conversation.
// In business hours the same durations come from the `*_bms` columns the Durable Object stores beside them.
const sources = (ms: "ms" | "bms") => {
  const times = ms === "ms" ? "" : "_bms";
  return [
    `SELECT 'first.human', first_response_${ms} FROM conversations WHERE ${CONVERSATIONS_IN_RANGE}`,
    `SELECT 'first.bot', bot_first_response_${ms} FROM conversations WHERE ${CONVERSATIONS_IN_RANGE}`,
    `SELECT 'all.human', j.value FROM conversations, json_each(response_times${times}_json) j WHERE ${CONVERSATIONS_IN_RANGE}`,
    `SELECT 'all.bot', j.value FROM conversations, json_each(bot_response_times${times}_json) j WHERE ${CONVERSATIONS_IN_RANGE}`,
  ].join(" UNION ALL ");
};
const SOURCES = { ms: sources("ms"), bms: sources("bms") };

/** Response times (s): first response and every response, bot and human apart. */
export async function responseTimes(db: D1Database, project: string, f: Filters, hours: HoursMode = "wall") {
  const d = await distributions(db, SOURCES[hours === "business" ? "bms" : "ms"], [project, f.from, f.to]);
  const get = (k: string) => d.get(k) ?? EMPTY;
  return {
    first: { human: get("first.human"), bot: get("first.bot") },
    all: { human: get("all.human"), bot: get("all.bot") },
  };
}
