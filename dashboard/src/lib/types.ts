// Response shapes of the dashboard API (/api/projects/:p/...). Fields the dashboard does not
// read are left out; anything optional may be missing from older Workers.

export interface TrafficTotals {
  visitors: number;
  sessions: number;
  pageviews: number;
  events: number;
  bounce_rate: number;
  avg_session_seconds: number;
}
export interface Overview {
  totals: TrafficTotals;
  previous?: Partial<TrafficTotals>;
  change?: Partial<Record<keyof TrafficTotals, number | null>>;
  series: { bucket: string; visitors: number; sessions: number; pageviews: number; events: number }[];
}
export interface Breakdown {
  dimension: string;
  rows: { value: string | null; visitors: number; pageviews: number; events: number }[];
}

export interface FunnelStepDef {
  event: string;
  channel?: "web" | "whatsapp";
  path?: string;
  where?: Record<string, unknown>;
}
export interface SavedFunnel {
  id: string;
  name: string;
  steps: FunnelStepDef[];
  window?: number | string;
}
export interface FunnelStep {
  event: string;
  channel?: string | null;
  count: number;
  conversion_from_first: number | null;
  conversion_from_previous: number | null;
  /** People lost since the previous step. */
  drop_off: number;
  median_seconds_to_convert: number | null;
}
export interface FunnelResult {
  steps: FunnelStep[];
  funnel?: SavedFunnel;
}

export interface Timing {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}
export interface WhatsAppOverview {
  messages_in: number;
  messages_out: number;
  unique_contacts: number;
  new_contacts: number;
  new_contacts_previous: number;
  growth_rate: number | null;
  opt_out_rate: number | null;
  response_time: Record<"first" | "all", Record<"human" | "bot", Timing>>;
  delivery: { sent: number; delivered: number; read: number; failed: number; delivery_rate: number | null; read_rate: number | null; failure_rate: number | null };
}

export interface AgentRow {
  agent_id: string;
  conversations: number;
  resolutions: number;
  queue_wait: Partial<Timing>;
  first_response: Partial<Timing>;
  handle_time: Partial<Timing>;
  resolution_time: Partial<Timing>;
}
export interface Agents {
  overall: Omit<AgentRow, "agent_id">;
  agents: AgentRow[];
}
export interface Queue {
  waiting: { conversation_id: string; external_id: string | null; queued_at: number | string; waiting_seconds: number }[];
  count: number;
  oldest_seconds: number | null;
}

export interface TimelineEvent {
  event_id: string;
  event_name: string;
  channel_type: "web" | "whatsapp";
  timestamp: number | string;
  anonymous_id?: string | null;
  user_id?: string | null;
  external_id?: string | null;
  conversation_id?: string | null;
  path?: string | null;
  url?: string | null;
  referrer?: string | null;
  utm_source?: string | null;
  utm_campaign?: string | null;
  country?: string | null;
  device_type?: string | null;
  browser?: string | null;
  properties?: Record<string, unknown>;
}
export interface Timeline {
  person: { person_id: string; anonymous_ids: string[]; external_ids: string[]; user_ids: string[] };
  events: TimelineEvent[];
}

export interface LiveSnapshot {
  active_visitors: number;
  open_conversations: number;
  queued: number;
  at: number | string;
}
