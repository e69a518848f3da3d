import type { BusinessDurations, BusinessHours, ConversationSummary, CycleSla } from "../contract";
import { MAX_RESPONSE_TIMES } from "../contract";
import { cycleSla, pickPolicy, type SlaPolicy } from "./sla";
import { businessDurations, conversationBusiness, type CycleSpans, emptySpans } from "./timed-fold";
import type { Conversation, ConversationCycle } from "./types";

/** What the Durable Object reads besides events: the project's business hours and SLA policies. */
export interface SlaOptions {
  schedule: BusinessHours | null;
  policies: SlaPolicy[];
}

// Per cycle, the first responses are kept (as summary.ts keeps the wall-clock ones).
const CYCLE_RESPONSE_TIMES = 50;
// Closed cycles remembered with their figures; older ones are recomputed when the conversation refolds.
const MAX_FROZEN = 200;

/** A closed cycle's business durations and SLA as computed when it closed, and what they were computed from. */
export type FrozenCycles = Record<number, { key: string; business: BusinessDurations; sla: CycleSla | null }>;

/** What a closed cycle's figures depend on: when any of it changes (a late event), they are computed again. */
const keyOf = (cy: ConversationCycle) =>
  JSON.stringify([
    cy.opened_at,
    cy.resolved_at,
    cy.resolved_by,
    cy.agent_id,
    cy.first_response_ms,
    cy.handoff_wait_ms,
    cy.queue_wait_ms,
    cy.handle_time_ms,
    cy.resolution_time_ms,
    cy.bot_first_response_ms,
    cy.response_times.length,
    cy.bot_response_times.length,
  ]);

/**
 * The summary with business-hour durations and SLA status. An open cycle is computed with the
 * project's schedule and policies of this moment; a closed one keeps what it was computed with
 * when it closed (`frozen`), so a later change of schedule or policy does not rewrite history.
 * Returns the summary and the closed cycles to remember.
 */
export function withSla(
  summary: ConversationSummary,
  c: Conversation,
  spans: CycleSpans[],
  o: SlaOptions,
  now: number,
  frozen: FrozenCycles = {},
): { summary: ConversationSummary; frozen: FrozenCycles } {
  // A priority holds until an event changes it, across reopens.
  let priority: string | null = null;
  const priorities = c.cycles.map((_, i) => (priority = spans[i]?.priority ?? priority));
  const figures = c.cycles.map((cy, i) => {
    const key = keyOf(cy);
    const kept = cy.resolved_at !== null ? frozen[i] : undefined;
    if (kept?.key === key) return kept;
    // Labels are the conversation's: a label added later moves every open cycle to that label's policy.
    const policy = pickPolicy(o.policies, c.labels, priorities[i]);
    return {
      key,
      business: businessDurations(o.schedule, spans[i] ?? emptySpans()),
      sla: cycleSla(cy, spans[i], { policy, schedule: o.schedule, now }),
    };
  });
  const cycles = summary.cycles.map((cy) => {
    const { business: b, sla } = figures[cy.cycle];
    return {
      ...cy,
      business: {
        ...b,
        response_times: b.response_times.slice(0, CYCLE_RESPONSE_TIMES),
        bot_response_times: b.bot_response_times.slice(0, CYCLE_RESPONSE_TIMES),
      },
      sla,
    };
  });
  const closed = c.cycles.flatMap((cy, i) => (cy.resolved_at !== null ? [[i, figures[i]] as const] : [])).slice(-MAX_FROZEN);
  return {
    summary: fitMessage({
      ...summary,
      cycles,
      business: conversationBusiness(
        figures.map((f) => f.business),
        MAX_RESPONSE_TIMES,
      ),
    }),
    frozen: Object.fromEntries(closed),
  };
}

// A Queue message holds at most 128 KB: the business copies of response times double the largest part of a
// summary, so a conversation with very many responses sends fewer of them (its first ones), never an oversized message.
const MESSAGE_BUDGET = 100_000;
const TRIMMED = { conversation: 200, cycle: 10 };

function fitMessage(s: ConversationSummary): ConversationSummary {
  if (JSON.stringify(s).length <= MESSAGE_BUDGET) return s;
  const trim = (b: BusinessDurations | undefined, n: number) =>
    b && { ...b, response_times: b.response_times.slice(0, n), bot_response_times: b.bot_response_times.slice(0, n) };
  return {
    ...s,
    business: trim(s.business, TRIMMED.conversation),
    cycles: s.cycles.map((cy) => ({ ...cy, business: trim(cy.business, TRIMMED.cycle) })),
  };
}
