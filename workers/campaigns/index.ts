/** Campaigns: template sends to a segment's snapshot on Cloudflare Workflows, with consent, quiet hours, caps and results. */
export { campaignsApi } from "./api";
export { CampaignWorkflow } from "./workflow";
