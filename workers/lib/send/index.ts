/**
 * Sending WhatsApp template messages through the project's provider (Meta Cloud API or Twilio);
 * campaigns and automations both use it. The interface:
 *
 * - `loadTemplate(db, projectId, id)` → a registered template (workers/templates) or null;
 * - `renderTemplate(template, {traits, events})` → `{ok: true, components}` or `{ok: false, missing}`
 *   (never send when a variable is missing: skip the person with that reason);
 * - `sendTemplate(env, project, {to: {phone?, bsuid?}, template: {name, twilioContentSid}, language,
 *   variables: components, callbackData?, from?})` → `{ok: true, provider, providerMessageId}` or
 *   `{ok: false, retryable, code, message}`. It never throws for a provider or network problem.
 *
 * Base URLs and credentials come from env: META_API_BASE_URL, META_API_VERSION, META_ACCESS_TOKEN,
 * TWILIO_API_BASE_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL (docs/campaigns.md).
 * Record the send in D1 under a unique key before calling and its outcome after, so a retried
 * caller never sends twice (workers/campaigns/send.ts does).
 */
import { metaSend } from "./meta";
import { twilioSend } from "./twilio";
import type { SendResult, Sender, TemplateSend } from "./types";

export type { RenderedComponent, SendResult, Sender, TemplateSend } from "./types";
export { listTemplates, loadTemplate, renderTemplate, templateEvents, type PersonData } from "./template";

/** The account a send goes out from: `from` when it is one of the project's, else the project's first Meta or Twilio account. */
export function senderAccount(project: Sender, from?: string): string | null {
  if (from) return project.whatsappAccounts.includes(from) ? from : null;
  return project.whatsappAccounts.find((a) => a.startsWith("meta:") || a.startsWith("twilio:")) ?? null;
}

/** Sends one template message; `{ok: false, retryable}` on any provider or network failure. */
export async function sendTemplate(env: Cloudflare.Env, project: Sender, m: TemplateSend): Promise<SendResult> {
  const account = senderAccount(project, m.from);
  if (!account)
    return { ok: false, retryable: false, code: "no_sender", message: "the project has no such Meta or Twilio WhatsApp account" };
  const split = account.indexOf(":");
  const [provider, id] = [account.slice(0, split), account.slice(split + 1)];
  return provider === "meta" ? metaSend(env, id, m) : twilioSend(env, id, m);
}
