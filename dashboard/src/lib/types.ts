// The dashboard declares no API shape of its own: every answer's type is inferred from the
// Worker's zod schemas (workers/contract/api), so a server change the dashboard does not follow
// fails `tsc -p dashboard`. Types only: zod never ships to the browser.
export type {
  AgentRow,
  Agents,
  AgentQueue as Queue,
  ApiErrorBody,
  ApiEvent as TimelineEvent,
  Breakdown,
  Distribution as Timing,
  FunnelList,
  FunnelResult,
  FunnelStepDefinition as FunnelStepDef,
  LiveSnapshot,
  Overview,
  SavedFunnel,
  SavedFunnelResult,
  Timeline,
  WhatsAppOverview,
} from "../../../workers/contract";
