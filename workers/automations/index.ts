/** Automations: triggers (events, segment entry, schedules), waits, conditions and actions, each run a Workflow. */
export { automationsApi } from "./api";
export { useSegments } from "./deps";
export { handToAutomations } from "./hand-off";
export { AUTOMATIONS_CRON, automationsScheduled } from "./schedule";
export { AutomationWorkflow } from "./workflow";
