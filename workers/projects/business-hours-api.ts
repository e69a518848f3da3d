import { Hono } from "hono";
import { businessHoursSettingSchema, type BusinessHoursSetting } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { doc } from "../lib/openapi";

/** `GET /api/projects/:project/business-hours`: the schedule business-hour durations and SLA targets are measured in. */
export const businessHoursApi = new Hono<ApiEnv>();

const readDoc = doc({
  summary: "The project's business hours",
  description:
    "IANA timezone, open intervals per weekday (local HH:MM, `to` exclusive) and holidays (YYYY-MM-DD in that zone). " +
    "null: every hour counts. Set with `PATCH /api/projects/{project}` (admin, `business_hours`).",
  tags: ["admin"],
  auth: "project",
  responses: { 200: { description: "the schedule, or null", schema: businessHoursSettingSchema } },
});

businessHoursApi.get("/", readDoc, (c) => c.json({ business_hours: c.get("project").businessHours } satisfies BusinessHoursSetting));
