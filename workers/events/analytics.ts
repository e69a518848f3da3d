import { AE_MAX_POINTS, type EventRecord } from "../contract";

/** Pre-aggregates a batch into at most 25 data points; the overflow folds into one "(other)" group per project. */
export function aggregate(events: EventRecord[]): AnalyticsEngineDataPoint[] {
  const groups = new Map<string, { key: string[]; count: number; bots: number }>();
  for (const e of events) {
    const key = [e.project_id, e.channel_type, e.event_name, e.country ?? "", e.device_type ?? ""];
    const id = key.join("\u0000");
    const g = groups.get(id) ?? { key, count: 0, bots: 0 };
    g.count++;
    if (e.is_bot) g.bots++;
    groups.set(id, g);
  }
  let list = [...groups.values()].sort((a, b) => b.count - a.count);
  if (list.length > AE_MAX_POINTS) {
    const keep = list.slice(0, AE_MAX_POINTS - 1);
    const rest = list.slice(AE_MAX_POINTS - 1);
    const other = { key: [rest[0].key[0], "", "(other)", "", ""], count: 0, bots: 0 };
    for (const g of rest) (other.count += g.count), (other.bots += g.bots);
    list = [...keep, other];
  }
  return list.map((g) => ({ indexes: [g.key[0]], blobs: g.key.slice(1), doubles: [g.count, g.bots] }));
}
