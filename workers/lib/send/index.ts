/**
 * Sending WhatsApp template messages through the project's provider (Meta Cloud API or Twilio).
 * The one entry point is `sendTemplate`; campaigns and automations both call it. Base URLs and
 * credentials come from env: META_API_BASE_URL, META_API_VERSION, META_ACCESS_TOKEN,
 * TWILIO_API_BASE_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN (docs/campaigns.md). It never throws
 * for a provider problem: the result says whether a retry may help.
 */
import { metaSend } from "./meta";
import { twilioSend } from "./twilio";
import type { SendResult, Sender, TemplateSend } from "./types";

export type { RenderedComponent, SendResult, Sender, TemplateSend } from "./types";

/** The account a send goes out from: `from` when given, else the project's first Meta or Twilio account. */
export function senderAccount(project: Sender, from?: string): string | null {
  if (from) return project.whatsappAccounts.includes(from) ? from : null;
  return project.whatsappAccounts.find((a) => a.startsWith("meta:") || a.startsWith("twilio:")) ?? null;
}

/** Sends one template message; `{ok: false, retryable}` on any provider or network failure. */
export async function sendTemplate(env: Cloudflare.Env, project: Sender, m: TemplateSend): Promise<SendResult> {
  const account = senderAccount(project, m.from);
  if (!account) return { ok: false, retryable: false, code: "no_sender", message: "the project has no Meta or Twilio WhatsApp account" };
  const [provider, id] = [account.slice(0, account.indexOf(":")), account.slice(account.indexOf(":") + 1)];
  return provider === "meta" ? metaSend(env, id, m) : twilioSend(env, id, m);
}
export { listTemplates, loadTemplate, renderTemplate, templateEvents, type PersonData } from "./template";
