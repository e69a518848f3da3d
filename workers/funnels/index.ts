/** Funnels: saved and ad-hoc, per person through identity links, across channels. */
export { funnelsApi } from "./api";
export { funnelExportApi } from "./export-api";
export { funnelEditApi } from "./edit-api";
export { funnelPeopleApi } from "./people-api";
