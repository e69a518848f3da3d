import { app } from "./app";
import { consume } from "./consumer";
import type { Env } from "./env";

export * from "./objects";

export default {
  fetch: app.fetch,
  queue: consume,
} satisfies ExportedHandler<Env>;
