/**
 * Logical names → Analytics Engine columns, shared by the writer and any AE SQL query.
 * One data point = one (project, channel, event, country, device) group of a consumer batch.
 */
export const AE_COLUMNS = {
  index: "index1", // project_id (the sampling key)
  channel: "blob1",
  eventName: "blob2",
  country: "blob3",
  deviceType: "blob4",
  count: "double1",
  bots: "double2",
} as const;

// Analytics Engine accepts at most 25 writeDataPoint calls per invocation.
export const AE_MAX_POINTS = 25;
