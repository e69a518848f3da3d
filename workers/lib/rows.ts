/** A D1 `events` row as the API returns it: the §2 shape with ISO times and parsed properties. */
export function eventRow(r: Record<string, unknown>) {
  const { ingest_id: _ingest, ...rest } = r;
  return {
    ...rest,
    timestamp: new Date(r.timestamp as number).toISOString(),
    received_at: new Date(r.received_at as number).toISOString(),
    is_bot: Boolean(r.is_bot),
    properties: JSON.parse((r.properties as string) || "{}"),
  };
}
