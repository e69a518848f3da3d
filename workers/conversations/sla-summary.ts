import type { BusinessDurations, BusinessHours, ConversationSummary } from "../contract";
import { MAX_RESPONSE_TIMES } from "../contract";
import { cycleSla, pickPolicy, type SlaPolicy } from "./sla";
import { businessDurations, conversationBusiness, type CycleSpans } from "./timed-fold";
import type { Conversation } from "./types";

/** What the Durable Object reads besides events: the project's business hours and SLA policies. */
export interface SlaOptions {
  schedule: BusinessHours | null;
  policies: SlaPolicy[];
}

// Per cycle, the first responses are kept (as summary.ts keeps the wall-clock ones).
const CYCLE_RESPONSE_TIMES = 50;

/**
 * The summary with business-hour durations and SLA status, computed with the project's schedule
 * and policies of this moment: each fold recomputes every cycle of the conversation.
 */
export function withSla(summary: ConversationSummary, c: Conversation, spans: CycleSpans[], o: SlaOptions, now: number): ConversationSummary {
  const business = c.cycles.map((_, i) => businessDurations(o.schedule, spans[i] ?? emptySpans));
  // A priority holds until an event changes it, across reopens.
  let priority: string | null = null;
  const priorities = c.cycles.map((_, i) => (priority = spans[i]?.priority ?? priority));
  const cycles = summary.cycles.map((cy) => {
    const b = business[cy.cycle];
    // Labels are the conversation's: a label added later moves every cycle to that label's policy.
    const policy = pickPolicy(o.policies, c.labels, priorities[cy.cycle]);
    return {
      ...cy,
      business: { ...b, response_times: b.response_times.slice(0, CYCLE_RESPONSE_TIMES), bot_response_times: b.bot_response_times.slice(0, CYCLE_RESPONSE_TIMES) },
      sla: cycleSla(cy, spans[cy.cycle], { policy, schedule: o.schedule, now }),
    };
  });
  return fitMessage({ ...summary, cycles, business: conversationBusiness(business, MAX_RESPONSE_TIMES) });
}

// A Queue message holds at most 128 KB: the business copies of response times double the largest part of a
// summary, so a conversation with very many responses sends fewer of them (its first ones), never an oversized message.
const MESSAGE_BUDGET = 100_000;
const TRIMMED = { conversation: 200, cycle: 10 };

function fitMessage(s: ConversationSummary): ConversationSummary {
  if (JSON.stringify(s).length <= MESSAGE_BUDGET) return s;
  const trim = (b: BusinessDurations | undefined, n: number) =>
    b && { ...b, response_times: b.response_times.slice(0, n), bot_response_times: b.bot_response_times.slice(0, n) };
  return { ...s, business: trim(s.business, TRIMMED.conversation), cycles: s.cycles.map((cy) => ({ ...cy, business: trim(cy.business, TRIMMED.cycle) })) };
}

const emptySpans: CycleSpans = {
  first_response: null, bot_first_response: null, handoff_wait: null, queue_wait: null, handle_time: null, resolution_time: null,
  responses: [], bot_responses: [], waiting_since: null, priority: null,
};
