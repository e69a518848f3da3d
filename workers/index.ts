import { app } from "./app";
import { consume } from "./consumer";
import type { Env } from "./lib/env";
import { scheduled } from "./retention";

export * from "./objects";
export { CampaignWorkflow } from "./campaigns";

export default {
  fetch: app.fetch,
  queue: consume,
  scheduled,
} satisfies ExportedHandler<Env>;
