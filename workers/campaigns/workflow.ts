import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep, type WorkflowStepConfig } from "cloudflare:workers";
import { nextDue, sendBatch } from "./send";
import { findCampaign, skipWaitingOfCancelled, transition } from "./store";

type CampaignParams = { project_id: string; campaign_id: string };

/** The event `POST …/resume` sends a paused campaign's instance. */
export const RESUME_EVENT = "resume";

// A batch step is retried on retryable provider errors with exponential backoff (5 s, 10 s, 20 s …);
// the circuit breaker (breaker_threshold failures in a row) pauses the campaign long before the limit.
const SEND_STEP: WorkflowStepConfig = { retries: { limit: 10, delay: "5 seconds", backoff: "exponential" }, timeout: "10 minutes" };
const PAUSE_TIMEOUT = "30 days";

/**
 * Sends one campaign: waits for `send_at`, then processes due recipients batch after batch (one
 * step each, so a restart resumes after the last finished batch and D1 skips whoever was already
 * handled), sleeps until deferred recipients' quiet hours end, and waits for a resume event while
 * paused. The instance id is the campaign id.
 */
export class CampaignWorkflow extends WorkflowEntrypoint<Cloudflare.Env, CampaignParams> {
  async run(event: WorkflowEvent<CampaignParams>, step: WorkflowStep) {
    const { project_id: projectId, campaign_id: campaignId } = event.payload;
    const wait = await step.do("load", async () => {
      const c = await findCampaign(this.env.DB, projectId, campaignId);
      return c?.send_at && c.send_at > Date.now() ? c.send_at : null;
    });
    if (wait) await step.sleepUntil("wait for send_at", wait);
    await step.do("start", () => transition(this.env.DB, campaignId, ["scheduled"], "running"));

    let batch = 0;
    let pauses = 0;
    let round = 0;
    for (;;) {
      let state: string;
      try {
        state = (await step.do(`send ${++batch}`, SEND_STEP, () => sendBatch(this.env, projectId, campaignId))).state;
      } catch {
        // Retries exhausted on something other than the provider (the breaker opens on provider failures).
        await step.do(`pause ${batch}`, () =>
          transition(this.env.DB, campaignId, ["running"], "paused", { pause_reason: "send_step_failed" }),
        );
        state = "paused";
      }
      if (state === "cancelled") return this.closeCancelled(step, campaignId);
      if (state === "paused") {
        // A resume event is only a wake-up: the campaign's status in D1 decides (a stale event from
        // a pause and resume the loop never saw must not lift a later pause).
        for (;;) {
          try {
            await step.waitForEvent(`resume ${++pauses}`, { type: RESUME_EVENT, timeout: PAUSE_TIMEOUT });
          } catch {
            await step.do(`cancel after pause ${pauses}`, () =>
              transition(this.env.DB, campaignId, ["paused"], "cancelled", { pause_reason: "pause_timeout" }),
            );
            return this.closeCancelled(step, campaignId);
          }
          const status = await step.do(
            `status ${pauses}`,
            async () => (await findCampaign(this.env.DB, projectId, campaignId))?.status ?? "cancelled",
          );
          if (status === "cancelled") return this.closeCancelled(step, campaignId);
          if (status !== "paused") break;
        }
        continue;
      }
      if (state === "more") continue;
      const due = await step.do(`next due ${++round}`, () => nextDue(this.env.DB, campaignId));
      if (due === null) break;
      // Deferred by quiet hours: sleep until the first of them is due (a past time resolves at once).
      await step.sleepUntil(`quiet hours ${round}`, Math.max(due, 1));
    }
    await step.do("complete", async () => {
      const now = Date.now();
      // A send whose outcome was never recorded is not retried (it may have gone out): a dead letter.
      await this.env.DB.prepare(
        "UPDATE campaign_recipients SET status = 'dead', reason = 'outcome_unknown', updated_at = ? WHERE campaign_id = ? AND status = 'sending'",
      )
        .bind(now, campaignId)
        .run();
      // A pause that arrived after the last send changes nothing left to send.
      return transition(this.env.DB, campaignId, ["running", "paused"], "completed", { completed_at: now, pause_reason: null });
    });
    return { status: "completed" };
  }

  /**
   * Ends a cancelled campaign's run. The cancel already skipped whoever was waiting; a retryable
   * failure recorded by a call in flight at that moment put its recipient back to `pending`, and a
   * row left `sending` by a step that died is a dead letter as at completion (no call of this
   * instance is in flight once its batch step has returned).
   */
  private async closeCancelled(step: WorkflowStep, campaignId: string) {
    await step.do("close cancelled", async () => {
      const db = this.env.DB;
      await db.batch([
        skipWaitingOfCancelled(db, campaignId),
        db
          .prepare(
            "UPDATE campaign_recipients SET status = 'dead', reason = 'outcome_unknown', updated_at = ? WHERE campaign_id = ? AND status = 'sending'",
          )
          .bind(Date.now(), campaignId),
      ]);
    });
    return { status: "cancelled" };
  }
}
