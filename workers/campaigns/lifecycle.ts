import type { Project } from "../lib/projects";
import { ApiError, badField } from "../lib/http";
import { loadTemplate, senderAccount } from "../lib/send";
import { snapshotAudience, type AudienceSource } from "./snapshot";
import { getCampaign, skipWaitingOfCancelled, transition, variantsOf, type CampaignRow, type CampaignStatus } from "./store";
import { RESUME_EVENT } from "./workflow";

const wrongState = (c: CampaignRow, action: string) => new ApiError(409, "campaign_state", `a ${c.status} campaign cannot be ${action}`);

/** Checks that every variant's template exists in the project. */
export async function requireTemplates(db: D1Database, projectId: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    if (!(await loadTemplate(db, projectId, id)))
      throw new ApiError(404, "template_not_found", `template "${id}" does not exist in this project`);
  }
}

/**
 * Launch: freezes the audience (segment members with a WhatsApp identity) and starts the
 * campaign's Workflow instance, whose id is the campaign id (so a second instance cannot be made).
 */
export async function launch(env: Cloudflare.Env, source: AudienceSource, project: Project, id: string): Promise<void> {
  const c = await getCampaign(env.DB, project.id, id);
  if (c.status !== "draft") throw wrongState(c, "launched");
  await requireTemplates(
    env.DB,
    project.id,
    variantsOf(c).map((v) => v.template_id),
  );
  if (!senderAccount(project, c.sender ?? undefined)) {
    throw badField(
      "invalid_campaign",
      "sender",
      c.sender ? `${c.sender} is not one of the project's WhatsApp accounts` : "the project has no Meta or Twilio WhatsApp account",
    );
  }
  // Opening the segment first: an unknown one is a 404 before anything changes.
  const page = await source.open(env.DB, project.id, c.segment_id);
  if (!(await transition(env.DB, c.id, ["draft"], "scheduled", { launched_at: Date.now() }))) throw wrongState(c, "launched");
  const audience = await snapshotAudience(env.DB, page, c);
  await env.DB.prepare("UPDATE campaigns SET audience = ? WHERE id = ?").bind(audience, c.id).run();
  try {
    await env.CAMPAIGNS.create({ id: c.id, params: { project_id: project.id, campaign_id: c.id } });
  } catch (err) {
    // No instance, no sends: back to a draft that can be launched again.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM campaign_recipients WHERE campaign_id = ?").bind(c.id),
      env.DB.prepare(
        "UPDATE campaigns SET status = 'draft', launched_at = NULL, audience = NULL WHERE id = ? AND status = 'scheduled'",
      ).bind(c.id),
    ]);
    throw err;
  }
}

/** Pause (running only), resume (paused only) or cancel (anything not finished). */
export async function control(env: Cloudflare.Env, projectId: string, id: string, action: "pause" | "resume" | "cancel"): Promise<void> {
  const c = await getCampaign(env.DB, projectId, id);
  const rules: Record<typeof action, [CampaignStatus[], CampaignStatus, Record<string, unknown>]> = {
    pause: [["running"], "paused", { pause_reason: "paused_by_user" }],
    resume: [["paused"], "running", { pause_reason: null, consecutive_failures: 0 }],
    cancel: [["draft", "scheduled", "running", "paused"], "cancelled", { completed_at: Date.now() }],
  };
  const [from, to, set] = rules[action];
  if (!(await transition(env.DB, c.id, from, to, set)))
    throw wrongState(c, { pause: "paused", resume: "resumed", cancel: "cancelled" }[action]);
  // No claim succeeds once the campaign is cancelled, so whoever still waits is never sent: close them now.
  if (action === "cancel") await skipWaitingOfCancelled(env.DB, c.id).run();
  if (action === "pause" || c.status === "draft") return;
  const instance = await env.CAMPAIGNS.get(c.id);
  // A campaign waiting for its send time is stopped outright; a sending one is woken to see the new status.
  if (action === "cancel" && c.status === "scheduled") await instance.terminate();
  else if (c.status === "paused") await instance.sendEvent({ type: RESUME_EVENT, payload: {} });
}
