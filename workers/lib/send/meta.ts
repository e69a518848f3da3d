import type { RenderedComponent, SendResult, TemplateSend } from "./types";

// Meta answers most WhatsApp errors with HTTP 400 and asks senders to branch on `error.code`
// (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes): these are the
// throttling and temporary ones, worth a retry with backoff. Everything else is final.
const RETRYABLE = new Set([4, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

const graphErrorSchema = (b: unknown) => {
  const e = (b as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return e && typeof e === "object" ? { code: Number(e.code), message: String(e.message ?? "") } : null;
};

function components(vars: RenderedComponent[]) {
  return vars
    .filter((c) => c.values.length)
    .map((c) => ({
      type: c.type,
      ...(c.type === "button" ? { sub_type: c.sub_type ?? "url", index: String(c.index ?? 0) } : {}),
      parameters: c.values.map((text) => ({ type: "text", text })),
    }));
}

/** `POST {base}/{version}/{phone_number_id}/messages` with a template message. */
export async function metaSend(env: Cloudflare.Env, phoneNumberId: string, m: TemplateSend): Promise<SendResult> {
  const base = (env.META_API_BASE_URL || "https://graph.facebook.com").replace(/\/+$/, "");
  const version = env.META_API_VERSION || "v21.0";
  const to = m.to.phone ? m.to.phone.replace(/^\+/, "") : m.to.bsuid;
  const body = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to,
    type: "template",
    template: { name: m.template.name, language: { code: m.language }, components: components(m.variables) },
    ...(m.callbackData ? { biz_opaque_callback_data: m.callbackData.slice(0, 512) } : {}),
  };
  let res: Response;
  try {
    res = await fetch(`${base}/${version}/${encodeURIComponent(phoneNumberId)}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.META_ACCESS_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (err) {
    return { ok: false, retryable: true, code: "network", message: String((err as Error).message ?? err) };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const id = (json as { messages?: { id?: unknown }[] } | null)?.messages?.[0]?.id;
    if (typeof id === "string") return { ok: true, provider: "meta", providerMessageId: id };
    return { ok: false, retryable: false, code: "bad_response", message: "Meta accepted the send without a message id" };
  }
  const e = graphErrorSchema(json);
  const code = e && Number.isFinite(e.code) ? e.code : null;
  const retryable = res.status >= 500 || res.status === 429 || (code !== null && RETRYABLE.has(code));
  return { ok: false, retryable, code: String(code ?? `http_${res.status}`), message: e?.message || `HTTP ${res.status}` };
}
