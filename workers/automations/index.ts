/** Automations: triggers (events, segment entry, schedules), waits, conditions and actions, each run a Workflow. */
export { automationsApi } from "./api";
export { useSegments, type SegmentReader } from "./deps";
export { handToAutomations } from "./hand-off";
export { AUTOMATIONS_CRON, automationsScheduled, runAutomationTick } from "./schedule";
export { AutomationWorkflow } from "./workflow";
