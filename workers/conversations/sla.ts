import type { BusinessHours, CycleSla, EventRecordInput, SlaStatus, SlaTarget } from "../contract";
import { SLA_BREACHED_EVENT } from "../contract";
import { businessDeadline } from "../lib/business-hours";
import { sha256Hex } from "../lib/tokens";
import type { CycleSpans } from "./timed-fold";
import type { ConversationIds } from "./idle";
import type { ConversationCycle } from "./types";

/** An SLA policy as the Durable Object applies it (targets in ms). */
export interface SlaPolicy {
  id: string;
  label: string | null;
  priority: string | null;
  first_response_ms: number | null;
  resolution_ms: number | null;
  /** Targets count business hours only (the project's schedule), else every hour. */
  business_hours: boolean;
  /** When the policy was created or last changed (epoch ms): breaches due before it send no event. */
  changed_at: number;
}

/**
 * The policy of a conversation: the most specific match wins (label and priority, then one of
 * them, then a policy without conditions); among equals, the first created. `policies` come ordered by creation.
 */
export function pickPolicy(policies: SlaPolicy[], labels: string[], priority: string | null): SlaPolicy | null {
  const matches = policies.filter((p) => (!p.label || labels.includes(p.label)) && (!p.priority || p.priority === priority));
  const weight = (p: SlaPolicy) => Number(!!p.label) + Number(!!p.priority);
  return matches.reduce<SlaPolicy | null>((best, p) => (!best || weight(p) > weight(best) ? p : best), null);
}

// A cycle humans became responsible for (as bot.ts counts a handoff): a bot-contained cycle owes no human response.
const humanCycle = (cy: ConversationCycle) =>
  cy.queued_at !== null || cy.assigned_at !== null || cy.agent_id !== null || cy.first_response_ms !== null;

/** A target's status: met when done at or before the deadline, breached when done later or still open at it. */
function status(due: number | null, doneAt: number | null, closedAt: number | null, now: number): SlaStatus | null {
  if (doneAt !== null) return due === null || doneAt <= due ? "met" : "breached";
  if (due !== null && (closedAt ?? now) > due) return "breached";
  return closedAt !== null ? null : "pending";
}

export interface SlaContext {
  policy: SlaPolicy | null;
  schedule: BusinessHours | null;
  now: number;
}

/**
 * A cycle's SLA. First response: from the customer message the first human reply answers (or, still
 * unanswered, the oldest one waiting) until that reply. Resolution: from the cycle's (re)open to its
 * resolution. A resolution without a human reply leaves the first-response target unmet only when
 * its deadline had passed. Definitions: docs/support-metrics.md.
 */
export function cycleSla(cy: ConversationCycle, spans: CycleSpans | undefined, x: SlaContext): CycleSla | null {
  const p = x.policy;
  if (!p || !humanCycle(cy)) return null;
  const due = (start: number | null, target: number | null) =>
    start === null || target === null ? null : p.business_hours ? businessDeadline(x.schedule, start, target) : start + target;
  const frStart = spans?.first_response?.[0] ?? spans?.waiting_since ?? null;
  const frDue = due(frStart, p.first_response_ms);
  const resDue = due(cy.opened_at, p.resolution_ms);
  return {
    policy_id: p.id,
    first_response:
      p.first_response_ms === null || frStart === null ? null : status(frDue, spans?.first_response?.[1] ?? null, cy.resolved_at, x.now),
    first_response_due_at: frDue,
    resolution: p.resolution_ms === null ? null : status(resDue, cy.resolved_at, null, x.now),
    resolution_due_at: resDue,
  };
}

/**
 * The breached targets of a cycle that deserve an `sla_breached` event: those due after their policy was
 * created or last changed. A new or stricter policy rates an open cycle already past its deadline
 * breached, but a breach that happened before the policy did is history, not news for automations.
 */
export function newsworthyBreaches(sla: CycleSla | null | undefined, policies: SlaPolicy[]): SlaTarget[] {
  const policy = policies.find((p) => p.id === sla?.policy_id);
  if (!sla || !policy) return [];
  return slaState(sla).breached.filter((t) => (sla[`${t}_due_at`] ?? Number.POSITIVE_INFINITY) >= policy.changed_at);
}

/** The targets of an SLA that are breached, and the earliest deadline still pending (for the alarm). */
export function slaState(sla: CycleSla | null | undefined): { breached: SlaTarget[]; nextDue: number | null } {
  if (!sla) return { breached: [], nextDue: null };
  const breached: SlaTarget[] = [];
  let nextDue: number | null = null;
  for (const t of ["first_response", "resolution"] as const) {
    if (sla[t] === "breached") breached.push(t);
    const at = sla[`${t}_due_at`];
    if (sla[t] === "pending" && at !== null) nextDue = nextDue === null ? at : Math.min(nextDue, at);
  }
  return { breached, nextDue };
}

/**
 * The `sla_breached` event of one target of one cycle. Its id derives from (conversation, cycle,
 * target), so however often it is produced it is stored once. `actor: "system"`: it is no person's activity.
 */
export async function breachEvent(ids: ConversationIds, cy: ConversationCycle, target: SlaTarget): Promise<EventRecordInput> {
  const sla = cy.sla!;
  const hash = await sha256Hex(`${ids.project_id}\u0000${ids.conversation_id}\u0000${cy.cycle}\u0000${target}`);
  const dueAt = sla[`${target}_due_at`];
  return {
    event_id: `sla_${hash.slice(0, 40)}`,
    project_id: ids.project_id,
    event_name: SLA_BREACHED_EVENT,
    channel_type: "whatsapp",
    timestamp: Math.min(dueAt ?? Date.now(), Date.now()),
    received_at: Date.now(),
    external_id: ids.external_id,
    conversation_id: ids.conversation_id,
    properties: { actor: "system", target, cycle: cy.cycle, policy_id: sla.policy_id, due_at: dueAt, agent_id: cy.agent_id },
  };
}
