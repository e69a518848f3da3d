/** Events: enrichment and storage of every event, the raw events API and its CSV export. */
export { aggregate } from "./analytics";
export { eventsApi } from "./api";
export { enrich } from "./enrich";
export { eventsExportApi } from "./export-api";
export { eventKey, storeEvents } from "./store";
