import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep, type WorkflowStepConfig } from "cloudflare:workers";
import { runAction } from "./actions";
import { segments } from "./deps";
import { finishRun, recordStep, setRunStatus, type RunParams } from "./runs";
import { findAutomation } from "./store";

/** The event the consumer sends a waiting run when the person does its `until_event` event. */
export const CANCEL_EVENT = "cancel";

const ACTION_STEP: WorkflowStepConfig = { retries: { limit: 3, delay: "10 seconds", backoff: "exponential" }, timeout: "1 minute" };

/** True when the person did `event` at or after `since` (the authoritative check behind a wait). */
async function didSince(db: D1Database, p: RunParams, event: string, since: number): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS hit FROM events WHERE project_id = ? AND person_id = ? AND event_name = ? AND timestamp >= ? LIMIT 1")
    .bind(p.project_id, p.person_id, event, since)
    .first();
  return row !== null;
}

/**
 * One automation run for one person: the optional wait, the conditions, then each action as its
 * own retried step, every outcome recorded in the run's log. The instance id is the run id.
 */
export class AutomationWorkflow extends WorkflowEntrypoint<Cloudflare.Env, RunParams> {
  async run(event: WorkflowEvent<RunParams>, step: WorkflowStep) {
    const p = event.payload;
    const db = this.env.DB;
    let seq = 0;
    const log = (name: string, status: "ok" | "skipped" | "failed" | "cancelled", detail: string | null, n = ++seq) =>
      step.do(`log ${n}`, () => recordStep(db, p.run_id, n, name, status, detail).then(() => null));
    const finish = (status: "completed" | "cancelled" | "skipped" | "failed", reason: string | null) =>
      step.do("finish", () => finishRun(db, p.run_id, status, reason).then(() => ({ status })));

    const a = await step.do("load", async () => {
      const found = await findAutomation(db, p.project_id, p.automation_id);
      return found ? { status: found.status, wait: found.wait ?? null } : null;
    });
    if (!a) return finish("skipped", "the automation was deleted");

    if (a.wait?.type === "delay") {
      await step.sleep("wait", `${a.wait.seconds} seconds`);
      await log("wait", "ok", `${a.wait.seconds} s`);
    } else if (a.wait?.type === "until_event") {
      const w = a.wait;
      await step.do("waiting", () => setRunStatus(db, p.run_id, "waiting", w.event).then(() => null));
      let happened = false;
      try {
        await step.waitForEvent("wait", { type: CANCEL_EVENT, timeout: `${w.timeout_seconds} seconds` });
        happened = true;
      } catch {
        // Timed out. The event may still have been missed by the hand-off: D1 decides.
        happened = await step.do("check", () => didSince(db, p, w.event, p.trigger.at));
      }
      if (happened) {
        await log("wait", "cancelled", `${w.event} happened before the timeout`);
        return finish("cancelled", `${w.event} happened`);
      }
      await step.do("resumed", () => setRunStatus(db, p.run_id, "running").then(() => null));
      await log("wait", "ok", `no ${w.event} within ${w.timeout_seconds} s`);
    }

    // Conditions and pause are read after the wait: they hold at the time the actions run.
    const gate = await step.do("conditions", async () => {
      const now = await findAutomation(db, p.project_id, p.automation_id);
      if (!now) return "the automation was deleted";
      if (!(await db.prepare("SELECT 1 FROM automation_runs WHERE id = ?").bind(p.run_id).first()))
        return "the run was erased with its person";
      if (now.status === "paused") return "the automation is paused";
      if (now.conditions && !(await segments().isMember(db, p.project_id, now.conditions, p.person_id)))
        return "the person does not meet the conditions";
      return null;
    });
    if (gate) {
      await log("conditions", "skipped", gate);
      return finish("skipped", gate);
    }

    const loaded = await step.do("actions", async () => (await findAutomation(db, p.project_id, p.automation_id))?.actions ?? []);
    for (const [i, action] of loaded.entries()) {
      const name = `action ${i + 1}: ${action.type}`;
      try {
        const out = await step.do(name, ACTION_STEP, async () => {
          const current = await findAutomation(db, p.project_id, p.automation_id);
          if (!current) return { status: "skipped" as const, detail: "the automation was deleted" };
          return runAction(this.env, current, p, i, action);
        });
        await log(name, out.status, out.detail);
      } catch (err) {
        await log(name, "failed", String(err instanceof Error ? err.message : err));
        return finish("failed", `${name} failed`);
      }
    }
    return finish("completed", null);
  }
}
