export * from "./analytics";
export * from "./conversations";
export * from "./events";
export * from "./limits";
export * from "./queue";
export * from "./webhooks";
export * from "./api";
export * from "./ids";
