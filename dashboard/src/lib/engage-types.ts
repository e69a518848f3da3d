// Answers of the support, segment, campaign, automation and import routes, inferred from the
// Worker's zod schemas (types only: zod never ships to the browser).
import type { z } from "zod";
import type {
  agentAvailabilitySchema,
  automationDefinitionSchema,
  automationDryRunSchema,
  automationListSchema,
  automationRunDetailSchema,
  automationRunsSchema,
  automationSchema,
  campaignInputSchema,
  campaignListSchema,
  campaignResultsSchema,
  campaignSchema,
  contactImportReportSchema,
  csatReportSchema,
  responseBucketsSchema,
  segmentConditionSchema,
  segmentDefinitionSchema,
  segmentListSchema,
  segmentPreviewSchema,
  segmentSchema,
  slaAtRiskSchema,
  slaReportSchema,
  templateListSchema,
} from "../../../workers/contract/api";

export type SlaReport = z.infer<typeof slaReportSchema>;
export type SlaAtRisk = z.infer<typeof slaAtRiskSchema>;
export type CsatReport = z.infer<typeof csatReportSchema>;
export type AgentAvailability = z.infer<typeof agentAvailabilitySchema>;
export type ResponseBuckets = z.infer<typeof responseBucketsSchema>;
export type Segment = z.infer<typeof segmentSchema>;
export type SegmentList = z.infer<typeof segmentListSchema>;
export type SegmentPreview = z.infer<typeof segmentPreviewSchema>;
export type SegmentDefinition = z.input<typeof segmentDefinitionSchema>;
export type SegmentCondition = z.input<typeof segmentConditionSchema>;
export type TemplateList = z.infer<typeof templateListSchema>;
export type Campaign = z.infer<typeof campaignSchema>;
export type CampaignList = z.infer<typeof campaignListSchema>;
export type CampaignInput = z.input<typeof campaignInputSchema>;
export type CampaignResults = z.infer<typeof campaignResultsSchema>;
export type Automation = z.infer<typeof automationSchema>;
export type AutomationList = z.infer<typeof automationListSchema>;
export type AutomationDefinition = z.input<typeof automationDefinitionSchema>;
export type AutomationRuns = z.infer<typeof automationRunsSchema>;
export type AutomationRunDetail = z.infer<typeof automationRunDetailSchema>;
export type AutomationDryRun = z.infer<typeof automationDryRunSchema>;
export type ContactImportReport = z.infer<typeof contactImportReportSchema>;
