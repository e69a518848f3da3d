import { Hono } from "hono";
import type { AppEnv } from "../lib/env";
import { chatwoot } from "./chatwoot";
import { crm } from "./crm";
import { meta } from "./meta";
import { twilio } from "./twilio";

/** WhatsApp and CRM webhooks, verified at the edge before anything is parsed. */
export const webhooks = new Hono<AppEnv>();

webhooks.route("/meta", meta);
webhooks.route("/twilio", twilio);
webhooks.route("/chatwoot", chatwoot);
webhooks.route("/crm", crm);
