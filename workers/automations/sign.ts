/** The header carrying an outbound call's signature: `sha256=<hex HMAC-SHA256 of the body>`. */
export const SIGNATURE_HEADER = "X-Junction-Signature";
/** Unique per run and action: a receiver that saw it before has already handled the call. */
export const IDEMPOTENCY_HEADER = "Idempotency-Key";

/** `sha256=` + hex HMAC-SHA256 of `body` with the automation's secret. */
export async function signBody(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  return "sha256=" + [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
