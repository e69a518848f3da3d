import { DurableObject } from "cloudflare:workers";

/** One per WhatsApp conversation: its state machine and metrics (see the WhatsApp issue). */
export class ConversationDO extends DurableObject<Cloudflare.Env> {}
