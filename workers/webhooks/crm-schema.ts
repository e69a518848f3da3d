import { z } from "zod";
import { AGENT_STATUSES, csatScoreSchema, isBsuid, WHATSAPP_ID_MAX } from "../contract";
import { parsePhone } from "../lib/phone";

/** CRM event types and the event name each becomes (docs/crm-webhook.md). */
export const CRM_TYPES = {
  conversation_started: "conversation_started",
  message_received: "message_received",
  bot_response: "bot_response",
  handoff_requested: "handoff_requested",
  agent_assigned: "agent_assigned",
  agent_message: "message_sent",
  webview_opened: "webview_opened",
  conversation_resolved: "conversation_resolved",
  consent_changed: "consent_changed",
  /** A satisfaction score: stored as a CSAT response (docs/support-metrics.md), not as an event. */
  csat: "csat",
  /** An agent's availability change: stored as a status interval, not as an event. */
  agent_status: "agent_status",
} as const;
export type CrmType = keyof typeof CRM_TYPES;

const tag = z.string().min(1).max(128);

/**
 * One CRM event. There is deliberately no field for message text: Junction never stores it (a CSAT
 * `comment` is read for its length and dropped at once).
 */
export const crmEventSchema = z
  .object({
    id: z.string().min(1).max(128),
    type: z.enum(Object.keys(CRM_TYPES) as [CrmType, ...CrmType[]]),
    occurred_at: z.iso.datetime({ offset: true }),
    /**
     * The contact: a phone as typed (read with the project's default_country when it has no
     * country code; workers/lib/phone.ts) or a WhatsApp business-scoped user id.
     */
    phone: z.string().min(1).max(WHATSAPP_ID_MAX).optional(),
    conversation_id: z.string().min(1).max(160).optional(),
    agent_id: tag.optional(),
    team: tag.optional(),
    /** A short machine tag such as `customer_request` or `bot_failed` (handoffs, resolutions). */
    reason: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.:-]+$/, "reason is a tag: letters, digits and _ . : -")
      .optional(),
    campaign: tag.optional(),
    template: tag.optional(),
    message_id: z.string().min(1).max(190).optional(),
    message_type: z.string().min(1).max(64).optional(),
    content_length: z.number().int().min(0).max(1_000_000).optional(),
    has_media: z.boolean().optional(),
    consent: z.enum(["opted_in", "opted_out"]).optional(),
    /** `csat`: the score, 1 (very unsatisfied) to 5 (very satisfied). */
    score: csatScoreSchema.optional(),
    /** `csat`: the customer's comment; only its length is kept. */
    comment: z.string().max(10_000).optional(),
    /** `agent_status`: the agent's availability from `occurred_at` on. */
    status: z.enum(AGENT_STATUSES).optional(),
  })
  .superRefine((e, ctx) => {
    if (e.type !== "agent_status" && !e.phone) ctx.addIssue({ code: "custom", path: ["phone"], message: `${e.type} requires phone` });
    if (e.type === "csat" && e.score === undefined) ctx.addIssue({ code: "custom", path: ["score"], message: "csat requires score (1-5)" });
    if (e.type === "agent_status" && !e.status)
      ctx.addIssue({ code: "custom", path: ["status"], message: "agent_status requires status (online, away or offline)" });
    if ((e.type === "agent_assigned" || e.type === "agent_message" || e.type === "agent_status") && !e.agent_id) {
      ctx.addIssue({ code: "custom", path: ["agent_id"], message: `${e.type} requires agent_id` });
    }
    if (e.type === "consent_changed" && !e.consent)
      ctx.addIssue({ code: "custom", path: ["consent"], message: "consent_changed requires consent" });
  });
export type CrmEvent = z.infer<typeof crmEventSchema>;

/** A CRM delivery: up to 100 events, validated one by one so one bad event does not sink the rest. */
export const crmBatchSchema = z.object({
  project: z.string().min(1).max(64).optional(),
  source: z.string().min(1).max(64).optional(),
  events: z.array(z.unknown()).min(1, "events must hold at least 1 event").max(100, "events may hold at most 100 events"),
});

/** The contact id of a CRM event's `phone`: a BSUID as given, else the phone in E.164 (or why it is not one). */
export function crmContactId(phone: string, defaultCountry: string | null): { ok: true; id: string } | { ok: false; error: string } {
  if (isBsuid(phone)) return { ok: true, id: phone };
  const parsed = parsePhone(phone, defaultCountry);
  return parsed.ok
    ? { ok: true, id: parsed.e164 }
    : {
        ok: false,
        error: `phone must be an E.164 number (e.g. +14155550123), a national number of the project's default_country, or a BSUID: ${parsed.error}`,
      };
}
