// Every response of the HTTP surface, one file per area. `docs/api.md` describes them; the
// OpenAPI document at GET /api/openapi.json is generated from these same schemas.
export * from "./agents";
export * from "./capture";
export * from "./conversations";
export * from "./dead-letters";
export * from "./deliveries";
export * from "./drilldown";
export * from "./errors";
export * from "./events";
export * from "./funnels";
export * from "./handshakes";
export * from "./live";
export * from "./people";
export * from "./projects";
export * from "./shared";
export * from "./shares";
export * from "./stats";
export * from "./timeline";
export * from "./tokens";
export * from "./webhooks";
export * from "./whatsapp";
export * from "./segments";
export * from "./contacts";
export * from "./automations";
