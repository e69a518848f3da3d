import { z } from "zod";
import { CONVERSATION_ID_MAX, whatsAppIdSchema } from "./ids";

/** CSAT scores run 1 (very unsatisfied) to 5 (very satisfied); 4 and 5 count as satisfied (docs/support-metrics.md). */
export const CSAT_MIN = 1;
export const CSAT_MAX = 5;
export const CSAT_SATISFIED_MIN = 4;
export const csatScoreSchema = z.number().int().min(CSAT_MIN).max(CSAT_MAX);

/** Where a CSAT response came from: the CRM webhook, or a WhatsApp reply id the project maps to a score. */
export const CSAT_SOURCES = ["crm", "whatsapp_reply"] as const;

/** One satisfaction response. No comment text travels: only its length. */
export const csatMessageSchema = z.object({
  kind: z.literal("csat"),
  project_id: z.string().min(1).max(64),
  response_id: z.string().min(1).max(200),
  conversation_id: z.string().min(1).max(CONVERSATION_ID_MAX),
  external_id: whatsAppIdSchema.nullable(),
  score: csatScoreSchema,
  comment_length: z.number().int().min(0).max(1_000_000).nullable(),
  source: z.enum(CSAT_SOURCES),
  submitted_at: z.number().int().nonnegative(),
});
export type CsatMessage = z.infer<typeof csatMessageSchema>;

/** An agent's availability as a helpdesk reports it; the status holds until the agent's next change. */
export const AGENT_STATUSES = ["online", "away", "offline"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const agentStatusMessageSchema = z.object({
  kind: z.literal("agent_status"),
  project_id: z.string().min(1).max(64),
  agent_id: z.string().min(1).max(200),
  status: z.enum(AGENT_STATUSES),
  at: z.number().int().nonnegative(),
});
export type AgentStatusMessage = z.infer<typeof agentStatusMessageSchema>;
