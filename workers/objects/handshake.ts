import { DurableObject } from "cloudflare:workers";

/** One per handshake token: single use, expiring. */
export class HandshakeDO extends DurableObject<Cloudflare.Env> {}
