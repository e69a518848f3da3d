/**
 * Rollup statements run in the same transaction as the insert, over the rows whose `ingest_id`
 * is this batch's (so duplicates never count twice). Filled in by the dashboard API's rollups.
 */
export function rollupStatements(_db: D1Database, _ingestId: string, _eventsJson: string): D1PreparedStatement[] {
  return [];
}
