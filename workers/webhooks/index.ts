import { Hono } from "hono";
import type { AppEnv } from "../env";

/** WhatsApp and CRM webhooks, verified at the edge before anything is parsed. */
export const webhooks = new Hono<AppEnv>();
