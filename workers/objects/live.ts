import { DurableObject } from "cloudflare:workers";

/** One per project: pushes live visitors and open conversations to dashboards. */
export class LiveDO extends DurableObject<Cloudflare.Env> {}
