import { Hono } from "hono";
import {
  campaignInputSchema,
  campaignListSchema,
  campaignRecipientsSchema,
  campaignResultsSchema,
  campaignSchema,
  campaignSettingsSchema,
} from "../contract";
import type { ApiEnv } from "../lib/auth";
import { parseOr400, readJson } from "../lib/http";
import { doc } from "../lib/openapi";
import { control, launch, requireTemplates } from "./lifecycle";
import { recipientPage, recipientsQuerySchema } from "./recipients";
import { campaignResults } from "./results";
import type { AudienceSource } from "./snapshot";
import { createCampaign, getCampaign, getSettings, listCampaigns, putSettings, toCampaign } from "./store";

const tags = ["campaigns"];

/** Campaigns: a segment × template (or weighted A/B variants), sent by a Workflow; results per variant. */
export function campaignsApi(audience: AudienceSource) {
  const api = new Hono<ApiEnv>();

  api.get(
    "/settings",
    doc({
      summary: "The project's sending rules",
      tags,
      auth: "project",
      responses: { 200: { description: "settings, defaults filled in", schema: campaignSettingsSchema } },
    }),
    async (c) => c.json(await getSettings(c.env.DB, c.get("project").id)),
  );

  api.put(
    "/settings",
    doc({
      summary: "Replace the project's sending rules",
      description:
        "Quiet hours, their mode (defer/skip), default zone, frequency cap, throughput, attempts and circuit-breaker threshold (docs/campaigns.md).",
      tags,
      auth: "project",
      body: campaignSettingsSchema,
      responses: { 200: { description: "the settings", schema: campaignSettingsSchema } },
      errors: ["invalid_json", "invalid_campaign"],
    }),
    async (c) =>
      c.json(await putSettings(c.env.DB, c.get("project").id, parseOr400(campaignSettingsSchema, await readJson(c), "campaign"))),
  );

  api.get(
    "/",
    doc({ summary: "Campaigns", tags, auth: "project", responses: { 200: { description: "newest first", schema: campaignListSchema } } }),
    async (c) => c.json({ campaigns: await listCampaigns(c.env.DB, c.get("project").id) }),
  );

  api.post(
    "/",
    doc({
      summary: "Create a campaign (draft)",
      tags,
      auth: "project",
      body: campaignInputSchema,
      responses: { 201: { description: "the draft", schema: campaignSchema } },
      errors: ["invalid_json", "invalid_campaign", "template_not_found", "segment_not_found"],
    }),
    async (c) => {
      const projectId = c.get("project").id;
      const input = parseOr400(campaignInputSchema, await readJson(c), "campaign");
      const variants = input.variants ?? [{ name: "A", template_id: input.template_id!, weight: 1 }];
      await requireTemplates(
        c.env.DB,
        projectId,
        variants.map((v) => v.template_id),
      );
      await audience.open(c.env.DB, projectId, input.segment_id);
      const id = await createCampaign(c.env.DB, projectId, input, variants);
      return c.json(toCampaign(await getCampaign(c.env.DB, projectId, id)), 201);
    },
  );

  api.get(
    "/:id",
    doc({
      summary: "One campaign",
      tags,
      auth: "project",
      responses: { 200: { description: "the campaign", schema: campaignSchema } },
      errors: ["campaign_not_found"],
    }),
    async (c) => c.json(toCampaign(await getCampaign(c.env.DB, c.get("project").id, c.req.param("id")))),
  );

  api.post(
    "/:id/launch",
    doc({
      summary: "Launch a draft",
      description:
        "Snapshots the audience (segment members with a WhatsApp identity, each assigned a variant by weight) and starts the send Workflow, now or at `send_at`.",
      tags,
      auth: "project",
      responses: { 202: { description: "launched", schema: campaignSchema } },
      errors: ["campaign_not_found", "campaign_state", "template_not_found", "segment_not_found", "invalid_campaign"],
    }),
    async (c) => {
      const project = c.get("project");
      await launch(c.env, audience, project, c.req.param("id"));
      return c.json(toCampaign(await getCampaign(c.env.DB, project.id, c.req.param("id"))), 202);
    },
  );

  for (const action of ["pause", "resume", "cancel"] as const) {
    api.post(
      `/:id/${action}`,
      doc({
        summary: { pause: "Pause a running campaign", resume: "Resume a paused campaign", cancel: "Cancel a campaign" }[action],
        description: {
          pause: "Sends stop after the one in flight; nothing already sent is affected.",
          resume: "Also closes an open circuit breaker (its failure count starts again at 0).",
          cancel: "Recipients not yet sent are never sent: those still pending or deferred become skipped with reason campaign_cancelled.",
        }[action],
        tags,
        auth: "project",
        responses: { 200: { description: "the campaign", schema: campaignSchema } },
        errors: ["campaign_not_found", "campaign_state"],
      }),
      async (c) => {
        const projectId = c.get("project").id;
        await control(c.env, projectId, c.req.param("id"), action);
        return c.json(toCampaign(await getCampaign(c.env.DB, projectId, c.req.param("id"))));
      },
    );
  }

  api.get(
    "/:id/results",
    doc({
      summary: "Campaign results",
      description:
        "Audience, skipped by reason, sent, delivered, read, failed by code, replies, opt-outs and conversions, per variant, with a two-proportion z-test between variants (docs/campaigns.md).",
      tags,
      auth: "project",
      responses: { 200: { description: "results", schema: campaignResultsSchema } },
      errors: ["campaign_not_found"],
    }),
    async (c) => c.json(await campaignResults(c.env.DB, await getCampaign(c.env.DB, c.get("project").id, c.req.param("id")))),
  );

  api.get(
    "/:id/recipients",
    doc({
      summary: "The audience snapshot and each send's state",
      tags,
      auth: "project",
      query: recipientsQuerySchema,
      responses: { 200: { description: "a page, person_id order", schema: campaignRecipientsSchema } },
      errors: ["campaign_not_found", "invalid_query"],
    }),
    async (c) => {
      const campaign = await getCampaign(c.env.DB, c.get("project").id, c.req.param("id"));
      return c.json(await recipientPage(c.env.DB, campaign.id, parseOr400(recipientsQuerySchema, c.req.query(), "query")));
    },
  );

  return api;
}
