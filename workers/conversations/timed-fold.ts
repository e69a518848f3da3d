import type { BusinessDurations, BusinessHours } from "../contract";
import { businessMs } from "../lib/business-hours";
import { orderEvents } from "./fold";
import { DEFAULT_FOLD_OPTIONS, transition, type FoldOptions } from "./state-machine";
import { initialConversation, type Conversation, type ConversationCycle, type ConversationEvent } from "./types";

/** A duration as the interval it covers: [start, end) epoch ms. */
type Span = [number, number];

/** The intervals behind a cycle's durations, and the latest priority its events gave. */
export interface CycleSpans {
  first_response: Span | null;
  bot_first_response: Span | null;
  handoff_wait: Span | null;
  queue_wait: Span | null;
  handle_time: Span | null;
  resolution_time: Span | null;
  responses: Span[];
  bot_responses: Span[];
  /** The first customer message of the cycle a human had to answer: where a first-response deadline runs from. */
  waiting_since: number | null;
  priority: string | null;
}

const SINGLE = ["first_response", "bot_first_response", "handoff_wait", "queue_wait", "handle_time", "resolution_time"] as const;
/** A cycle whose events measured nothing yet. */
export const emptySpans = (): CycleSpans => ({
  first_response: null,
  bot_first_response: null,
  handoff_wait: null,
  queue_wait: null,
  handle_time: null,
  resolution_time: null,
  responses: [],
  bot_responses: [],
  waiting_since: null,
  priority: null,
});

/**
 * `fold`, also noting when each duration was measured. Every duration the state machine records
 * ends at the event that records it, so the interval is [event time - duration, event time): that
 * is what business hours are counted over, without the state machine knowing about schedules.
 */
export function foldTimed(
  events: ConversationEvent[],
  options: FoldOptions = DEFAULT_FOLD_OPTIONS,
): { conversation: Conversation; spans: CycleSpans[] } {
  let c = initialConversation();
  const spans: CycleSpans[] = [];
  for (const e of orderEvents(events)) {
    const before = c.cycles;
    c = transition(c, e, options);
    const i = c.cycles.length - 1;
    if (i < 0) continue;
    const now = c.cycles[i];
    const old: Partial<ConversationCycle> = before[i] ?? {};
    const s = (spans[i] ??= emptySpans());
    const t = e.timestamp;
    for (const k of SINGLE) {
      const v = now[`${k}_ms`];
      if (v !== null && old[`${k}_ms`] == null) s[k] = [t - v, t];
    }
    for (const rt of now.response_times.slice(old.response_times?.length ?? 0)) s.responses.push([t - rt, t]);
    for (const rt of now.bot_response_times.slice(old.bot_response_times?.length ?? 0)) s.bot_responses.push([t - rt, t]);
    if (e.priority) s.priority = e.priority;
    s.waiting_since ??= c.human_pending_since;
  }
  return { conversation: c, spans };
}

const bms = (schedule: BusinessHours | null, span: Span | null) => (span ? businessMs(schedule, span[0], span[1]) : null);

/** A cycle's durations in business hours. */
export function businessDurations(schedule: BusinessHours | null, s: CycleSpans): BusinessDurations {
  return {
    first_response_ms: bms(schedule, s.first_response),
    bot_first_response_ms: bms(schedule, s.bot_first_response),
    handoff_wait_ms: bms(schedule, s.handoff_wait),
    queue_wait_ms: bms(schedule, s.queue_wait),
    handle_time_ms: bms(schedule, s.handle_time),
    resolution_time_ms: bms(schedule, s.resolution_time),
    response_times: s.responses.map((x) => businessMs(schedule, x[0], x[1])),
    bot_response_times: s.bot_responses.map((x) => businessMs(schedule, x[0], x[1])),
  };
}

const sum = (xs: (number | null)[]) => (xs.some((x) => x !== null) ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) : null);
const first = (xs: (number | null)[]) => xs.find((x) => x !== null) ?? null;

/** The conversation's business durations from its cycles' (the first first response, sums of the rest), as the wall-clock ones add up. */
export function conversationBusiness(cycles: BusinessDurations[], maxTimes: number): BusinessDurations {
  return {
    first_response_ms: first(cycles.map((c) => c.first_response_ms)),
    bot_first_response_ms: first(cycles.map((c) => c.bot_first_response_ms)),
    handoff_wait_ms: first(cycles.map((c) => c.handoff_wait_ms)),
    queue_wait_ms: sum(cycles.map((c) => c.queue_wait_ms)),
    handle_time_ms: sum(cycles.map((c) => c.handle_time_ms)),
    resolution_time_ms: sum(cycles.map((c) => c.resolution_time_ms)),
    response_times: cycles.flatMap((c) => c.response_times).slice(0, maxTimes),
    bot_response_times: cycles.flatMap((c) => c.bot_response_times).slice(0, maxTimes),
  };
}
