import { app } from "./app";
import { AUTOMATIONS_CRON, automationsScheduled, useSegments } from "./automations";
import { consume } from "./consumer";
import type { Env } from "./lib/env";
import { scheduled } from "./retention";
import { countMembers, getSegment, isMember, memberPage } from "./segments";

export * from "./objects";
export { CampaignWorkflow } from "./campaigns";
export { AutomationWorkflow } from "./automations";

// Automations read segments through this reader (features never import each other).
useSegments({
  definition: (db, p, id) =>
    getSegment(db, p, id).then(
      (s) => s.definition,
      () => null,
    ),
  isMember: (db, p, def, person) => isMember(db, p, def, person),
  count: (db, p, def) => countMembers(db, p, def),
  page: (db, p, def, after, limit) => memberPage(db, p, def, after, limit),
});

export default {
  fetch: app.fetch,
  queue: consume,
  // Each Cron Trigger has its job: automations every 5 minutes, retention at the others.
  scheduled: (controller, env) =>
    controller.cron === AUTOMATIONS_CRON ? automationsScheduled(controller, env) : scheduled(controller, env),
} satisfies ExportedHandler<Env>;
