import { getJson, projectUrl, request } from "../../lib/api";
import { filterLabel } from "../../lib/dimensions";
import type { ListPage } from "../../lib/pages";
import type {
  FunnelPerson,
  FunnelStepPeople,
  PeakHourMessages,
  PersonRow,
  StatsEvents,
  StatsPeople,
  TimelineEvent,
  WhatsAppContact,
  WhatsAppContacts,
  WhatsAppMessages,
} from "../../lib/types";
import { filterQuery, interval, param, setView, trafficQuery } from "../../lib/view-state";

/**
 * A drill-down is part of the view's URL (`drill=visitors&bucket=2026-11-20&dimension=country&value=KE`),
 * so the list behind a number can be shared and survives a reload. `drill` names the figure:
 * visitors or sessions (people), events or pageviews (events), converted or dropped (a saved
 * funnel's step `step`), messages (the WhatsApp heatmap's cell `weekday` × `hour`), and the other
 * WhatsApp figures (WHATSAPP_FIGURES).
 */
export const DRILL_KEYS = ["drill", "bucket", "dimension", "value", "step", "weekday", "hour", "adhoc"] as const;

/**
 * The WhatsApp page's figures: messages in/out (optionally one series `bucket`), unique contacts, and
 * the delivery steps (optionally one row of the by-template/campaign table: `dimension` names the
 * group, `value` the tag, none = untagged).
 */
const WHATSAPP_FIGURES = ["messages_in", "messages_out", "contacts", "sent", "delivered", "read", "failed"] as const;
type WhatsAppFigure = (typeof WHATSAPP_FIGURES)[number];
export type DeliveryStep = "sent" | "delivered" | "read" | "failed";
export const DELIVERY_STEPS: DeliveryStep[] = ["sent", "delivered", "read", "failed"];
const isWhatsApp = (f: DrillFigure): f is WhatsAppFigure => (WHATSAPP_FIGURES as readonly string[]).includes(f);

export type DrillFigure = "visitors" | "sessions" | "events" | "pageviews" | "converted" | "dropped" | "messages" | WhatsAppFigure;
const FIGURES: DrillFigure[] = ["visitors", "sessions", "events", "pageviews", "converted", "dropped", "messages", ...WHATSAPP_FIGURES];
const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export type Drill = {
  figure: DrillFigure;
  bucket?: string;
  dimension?: string;
  value?: string;
  step?: number;
  funnel?: string;
  weekday?: number;
  hour?: number;
  /** The builder's unsaved funnel (`adhoc=1`): its definition lives in this tab only. */
  adhoc?: boolean;
};

/** The builder's last run funnel (steps and window), whose steps can be drilled into until the page reloads. */
let adhocFunnel: { steps: unknown[]; window: number } | undefined;
export const setAdhocFunnel = (q: { steps: unknown[]; window: number }) => (adhocFunnel = q);

/** The drill-down in the URL, if any. */
export function currentDrill(): Drill | undefined {
  const figure = param("drill") as DrillFigure;
  if (!FIGURES.includes(figure)) return undefined;
  const step = Number(param("step")) || undefined;
  return {
    figure,
    bucket: param("bucket") || undefined,
    dimension: param("dimension") || undefined,
    value: param("dimension") ? param("value") : undefined,
    step,
    funnel: param("funnel") || undefined,
    ...(figure === "messages" ? { weekday: Number(param("weekday")), hour: Number(param("hour")) } : {}),
    ...(param("adhoc") ? { adhoc: true, funnel: undefined } : {}),
  };
}

// Where focus goes back to when the list closes: the number that opened it.
let opener: HTMLElement | null = null;

/** Opens the list behind a number, keeping the view (range, zone, filters) as it is. */
export function openDrill(d: Omit<Drill, "funnel">) {
  if (document.activeElement instanceof HTMLElement && document.activeElement !== document.body) opener = document.activeElement;
  setView({
    drill: d.figure,
    bucket: d.bucket,
    dimension: d.dimension,
    value: d.value,
    step: d.step ? String(d.step) : null,
    weekday: d.weekday === undefined ? null : String(d.weekday),
    hour: d.hour === undefined ? null : String(d.hour),
    adhoc: d.adhoc ? "1" : null,
  });
}

export function closeDrill() {
  setView(Object.fromEntries(DRILL_KEYS.map((k) => [k, null])));
  const back = opener;
  opener = null;
  if (back?.isConnected) queueMicrotask(() => back.focus());
}

/** "Visitors · 2026-11-20 · Country = KE" */
export function drillTitle(d: Drill): string {
  const what = {
    visitors: "Visitors",
    sessions: "Sessions",
    events: "Events",
    pageviews: "Pageviews",
    converted: "Converted",
    dropped: "Dropped off",
    messages: "Inbound messages",
    messages_in: "Messages in",
    messages_out: "Messages out",
    contacts: "Unique contacts",
    sent: "Sent messages",
    delivered: "Delivered messages",
    read: "Read messages",
    failed: "Failed messages",
  }[d.figure];
  const parts = [what];
  if (d.step) parts.push(`step ${d.step}`);
  if (d.bucket) parts.push(d.bucket);
  if (d.weekday !== undefined && d.hour !== undefined) parts.push(`${DAYS[d.weekday]} ${String(d.hour).padStart(2, "0")}:00`);
  if (d.dimension && isWhatsApp(d.figure))
    parts.push(`${d.dimension === "campaign" ? "Campaign" : "Template"} = ${d.value || "(untagged)"}`);
  else if (d.dimension) parts.push(`${filterLabel(d.dimension === "channel_type" ? "channel" : d.dimension)} = ${d.value || "(none)"}`);
  return parts.join(" · ");
}

export type DrillRow =
  | { kind: "person"; row: PersonRow }
  | { kind: "event"; row: TimelineEvent }
  | { kind: "funnel"; row: FunnelPerson }
  | { kind: "contact"; row: WhatsAppContact };

const LIMIT = 50;

/** The request behind a drill-down, or false while the range is invalid. */
export function drillSource(d: Drill | undefined) {
  const q = trafficQuery();
  return !!d && q && { ...q, interval: interval(), d };
}

/** One page of the list behind the number. */
export async function fetchDrill(
  s: NonNullable<Exclude<ReturnType<typeof drillSource>, false>>,
  cursor?: string,
): Promise<ListPage<DrillRow>> {
  const { d, ...q } = s;
  const narrow = { bucket: d.bucket, dimension: d.dimension, value: d.dimension ? (d.value ?? "") : undefined, limit: LIMIT, cursor };
  if (d.figure === "visitors" || d.figure === "sessions") {
    const r = await getJson<StatsPeople>("/stats/people", { ...q, ...narrow, metric: d.figure });
    return { items: r.people.map((row) => ({ kind: "person", row })), total: r.total, next: r.next_cursor };
  }
  if (d.figure === "events" || d.figure === "pageviews") {
    const r = await getJson<StatsEvents>("/stats/events", { ...q, ...narrow, metric: d.figure });
    return { items: r.events.map((row) => ({ kind: "event", row })), total: r.total, next: r.next_cursor };
  }
  if (isWhatsApp(d.figure)) return whatsappPage(d.figure, d, q, cursor);
  const { interval: _i, ...range } = q;
  if (d.figure === "messages") {
    const r = await getJson<PeakHourMessages>("/whatsapp/peak-hours/messages", {
      ...range,
      weekday: d.weekday,
      hour: d.hour,
      limit: LIMIT,
      cursor,
    });
    return { items: r.events.map((row) => ({ kind: "event", row })), total: r.total, next: r.next_cursor };
  }
  if (d.adhoc && d.step) {
    if (!adhocFunnel) throw new Error("This list belongs to a funnel run in the builder: run it again to open its steps.");
    const url = projectUrl(`/funnels/query/steps/${d.step}/people`, { outcome: d.figure, limit: LIMIT, cursor });
    const body = JSON.stringify({ ...adhocFunnel, from: range.from, to: range.to, tz: range.tz, filters: filterQuery() });
    const r = (await (await request(url, { method: "POST", body })).json()) as FunnelStepPeople;
    return { items: r.people.map((row) => ({ kind: "funnel", row })), total: r.total, next: r.next_cursor };
  }
  if (!d.funnel || !d.step) throw new Error("A funnel step drill-down needs a saved funnel and a step.");
  const r = await getJson<FunnelStepPeople>(`/funnels/${encodeURIComponent(d.funnel)}/steps/${d.step}/people`, {
    ...range,
    outcome: d.figure,
    limit: LIMIT,
    cursor,
  });
  return { items: r.people.map((row) => ({ kind: "funnel", row })), total: r.total, next: r.next_cursor };
}

/**
 * A page of the list behind a WhatsApp figure. The query is the one the page's figures were fetched
 * with (the Worker pins the channel); `interval` places a series bucket, `dimension` is the delivery group.
 */
async function whatsappPage(figure: WhatsAppFigure, d: Drill, q: Record<string, string>, cursor?: string): Promise<ListPage<DrillRow>> {
  if (figure === "contacts") {
    const r = await getJson<WhatsAppContacts>("/whatsapp/contacts", { ...q, limit: LIMIT, cursor });
    return { items: r.contacts.map((row) => ({ kind: "contact", row })), total: r.total, next: r.next_cursor };
  }
  const r = await getJson<WhatsAppMessages>("/whatsapp/messages", {
    ...q,
    figure,
    bucket: d.bucket,
    group: d.dimension,
    value: d.dimension ? d.value || undefined : undefined,
    limit: LIMIT,
    cursor,
  });
  return { items: r.events.map((row) => ({ kind: "event", row })), total: r.total, next: r.next_cursor };
}
