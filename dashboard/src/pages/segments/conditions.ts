import type { SegmentCondition } from "../../lib/engage-types";

/** A field of the condition form: its key in the flat form, label, and kind of input. */
export type Field = { key: string; label: string; kind?: "number" | "bool" | "select"; options?: readonly string[]; optional?: true };

const OPS = ["eq", "neq", "gt", "gte", "lt", "lte", "contains", "exists", "not_exists"] as const;
const range: Field = { key: "within_days", label: "In the last (days)", kind: "number", optional: true };

/** The form of each condition type of the segment contract (workers/contract/api/segments.ts). */
export const CONDITION_TYPES: Record<SegmentCondition["type"], { label: string; fields: Field[] }> = {
  event: {
    label: "Did an event",
    fields: [
      { key: "event", label: "Event" },
      { key: "did", label: "Did it", kind: "bool" },
      { key: "min_count", label: "At least (times)", kind: "number", optional: true },
      { key: "channel", label: "Channel", kind: "select", options: ["", "web", "whatsapp"], optional: true },
      { key: "property", label: "Where property", optional: true },
      { key: "op", label: "Op", kind: "select", options: OPS, optional: true },
      { key: "value", label: "Value", optional: true },
      range,
    ],
  },
  event_after: {
    label: "Did one event, then another",
    fields: [
      { key: "first", label: "First event" },
      { key: "then", label: "Then event" },
      { key: "within_hours", label: "Within (hours)", kind: "number" },
      { key: "did", label: "Did the second", kind: "bool" },
      range,
    ],
  },
  funnel_step: {
    label: "Stopped at a funnel step",
    fields: [
      { key: "steps", label: "Steps (comma-separated events)" },
      { key: "reached", label: "Reached step", kind: "number" },
      { key: "window_hours", label: "Window (hours)", kind: "number" },
      range,
    ],
  },
  trait: {
    label: "Contact attribute",
    fields: [
      { key: "trait", label: "Attribute" },
      { key: "op", label: "Op", kind: "select", options: OPS },
      { key: "value", label: "Value", optional: true },
    ],
  },
  reachable: { label: "Reachable on WhatsApp", fields: [{ key: "value", label: "Reachable", kind: "bool" }] },
  consent: {
    label: "WhatsApp consent",
    fields: [{ key: "state", label: "State", kind: "select", options: ["opted_in", "opted_out", "unknown"] }],
  },
  list: {
    label: "On a list",
    fields: [
      { key: "list", label: "List" },
      { key: "member", label: "Is a member", kind: "bool" },
    ],
  },
  last_seen: {
    label: "Last seen",
    fields: [
      { key: "within_days", label: "Within (days)", kind: "number", optional: true },
      { key: "more_than_days", label: "Or more than (days) ago", kind: "number", optional: true },
    ],
  },
};

export type FlatForm = Record<string, string>;

const int = (s: string | undefined) => (s === undefined || s === "" ? undefined : Math.round(Number(s)));
const bool = (s: string | undefined) => s !== "false";
// Comparisons on numbers need numbers; everything else compares as typed.
const scalar = (op: string, s: string | undefined) =>
  s === undefined || s === ""
    ? undefined
    : ["gt", "gte", "lt", "lte"].includes(op) && s.trim() !== "" && !Number.isNaN(Number(s))
      ? Number(s)
      : s;
const clean = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as T;

/** The flat form as a condition the API validates (it answers 400 with the field at fault otherwise). */
export function toCondition(type: SegmentCondition["type"], f: FlatForm): SegmentCondition {
  const op = (f.op || "eq") as (typeof OPS)[number];
  switch (type) {
    case "event":
      return clean({
        type,
        event: f.event ?? "",
        did: bool(f.did),
        min_count: int(f.min_count),
        channel: (f.channel || undefined) as "web" | "whatsapp" | undefined,
        where: f.property ? [clean({ property: f.property, op, value: scalar(op, f.value) })] : undefined,
        within_days: int(f.within_days),
      });
    case "event_after":
      return clean({
        type,
        first: { event: f.first ?? "" },
        // biome-ignore lint/suspicious/noThenProperty: the segment contract names the second event `then`.
        then: { event: f.then ?? "" },
        within_seconds: (int(f.within_hours) ?? 0) * 3600,
        did: bool(f.did),
        within_days: int(f.within_days),
      });
    case "funnel_step":
      return clean({
        type,
        steps: (f.steps ?? "")
          .split(",")
          .map((e) => ({ event: e.trim() }))
          .filter((s) => s.event),
        reached: int(f.reached) ?? 1,
        window_seconds: (int(f.window_hours) ?? 0) * 3600,
        within_days: int(f.within_days),
      });
    case "trait":
      return clean({ type, trait: f.trait ?? "", op, value: scalar(op, f.value) });
    case "reachable":
      return { type, channel: "whatsapp", value: bool(f.value) };
    case "consent":
      return { type, state: (f.state || "opted_in") as "opted_in" };
    case "list":
      return { type, list: f.list ?? "", member: bool(f.member) };
    case "last_seen":
      return clean({ type, within_days: int(f.within_days), more_than_days: int(f.more_than_days) });
  }
}

/** A condition in a line of words, for the list under the form. */
export function describe(c: SegmentCondition): string {
  const { type, ...rest } = c;
  return `${CONDITION_TYPES[type].label}: ${JSON.stringify(rest)}`;
}
