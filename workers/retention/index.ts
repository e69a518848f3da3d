/** Retention: the scheduled deletion of raw events older than each project's `retention_days`. */
import { runRetention } from "./run";

/** The Worker's `scheduled` handler: every Cron Trigger runs retention (wrangler.toml `[triggers]`). */
export async function scheduled(controller: ScheduledController, env: Cloudflare.Env): Promise<void> {
  const run = await runRetention(env.DB, controller.scheduledTime);
  const deleted = run.projects.reduce((n, p) => n + p.deleted, 0);
  console.log("retention", JSON.stringify({ cron: controller.cron, deleted, tombstones_pruned: run.tombstones_pruned }));
}
