import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Business-hour durations and SLA status, on both `conversations` (the latest cycle's SLA, breaches over
 * all cycles) and `conversation_cycles` (migration 0016). Durations in business ms (`*_bms`); statuses
 * pending, met or breached (docs/support-metrics.md).
 */
export const businessAndSlaColumns = () => ({
  firstResponseBms: integer("first_response_bms"),
  botFirstResponseBms: integer("bot_first_response_bms"),
  handoffWaitBms: integer("handoff_wait_bms"),
  queueWaitBms: integer("queue_wait_bms"),
  handleTimeBms: integer("handle_time_bms"),
  resolutionTimeBms: integer("resolution_time_bms"),
  responseTimesBmsJson: text("response_times_bms_json").notNull().default("[]"),
  botResponseTimesBmsJson: text("bot_response_times_bms_json").notNull().default("[]"),
  slaPolicyId: text("sla_policy_id"),
  slaFirstResponse: text("sla_first_response", { enum: ["pending", "met", "breached"] }),
  slaFirstResponseDueAt: integer("sla_first_response_due_at"),
  slaResolution: text("sla_resolution", { enum: ["pending", "met", "breached"] }),
  slaResolutionDueAt: integer("sla_resolution_due_at"),
});

/** A project's SLA policies: targets in seconds, optionally for one label and/or priority. */
export const slaPolicies = sqliteTable(
  "sla_policies",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    label: text("label"),
    priority: text("priority"),
    firstResponseS: integer("first_response_s"),
    resolutionS: integer("resolution_s"),
    /** 1: targets count the project's business hours only. */
    businessHours: integer("business_hours").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] })],
);
