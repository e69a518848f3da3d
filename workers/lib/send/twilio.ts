import type { SendResult, TemplateSend } from "./types";

// Twilio's REST API signals throttling with 429 (code 20429) and outages with 5xx; other 4xx are
// final (https://www.twilio.com/docs/api/errors).
const RETRYABLE = new Set([20429, 20500, 20503, 30001]);

/** `POST {base}/2010-04-01/Accounts/{sid}/Messages.json` with a Content SID and its variables. */
export async function twilioSend(env: Cloudflare.Env, from: string, m: TemplateSend): Promise<SendResult> {
  if (!m.to.phone) return { ok: false, retryable: false, code: "no_phone", message: "Twilio sends to phone numbers only" };
  if (!m.template.twilioContentSid)
    return { ok: false, retryable: false, code: "no_content_sid", message: `template ${m.template.name} has no Twilio Content SID` };
  const base = (env.TWILIO_API_BASE_URL || "https://api.twilio.com").replace(/\/+$/, "");
  const sid = env.TWILIO_ACCOUNT_SID;
  // Content variables are numbered "1", "2", … across the components, in order.
  const values = m.variables.flatMap((c) => c.values);
  const form = new URLSearchParams({
    To: `whatsapp:${m.to.phone}`,
    From: `whatsapp:${from}`,
    ContentSid: m.template.twilioContentSid,
    ContentVariables: JSON.stringify(Object.fromEntries(values.map((v, i) => [String(i + 1), v]))),
    StatusCallback: `${env.PUBLIC_BASE_URL.replace(/\/+$/, "")}/webhooks/twilio/status`,
  });
  let res: Response;
  try {
    res = await fetch(`${base}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${sid}:${env.TWILIO_AUTH_TOKEN}`)}`, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
  } catch (err) {
    return { ok: false, retryable: true, code: "network", message: String((err as Error).message ?? err) };
  }
  const json = (await res.json().catch(() => null)) as { sid?: unknown; code?: unknown; message?: unknown } | null;
  if (res.ok && typeof json?.sid === "string") return { ok: true, provider: "twilio", providerMessageId: json.sid };
  const code = typeof json?.code === "number" ? json.code : null;
  const retryable = res.status >= 500 || res.status === 429 || (code !== null && RETRYABLE.has(code));
  return { ok: false, retryable, code: String(code ?? `http_${res.status}`), message: String(json?.message ?? `HTTP ${res.status}`) };
}
