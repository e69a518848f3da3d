// Signature checks for every webhook. HMACs are compared by crypto.subtle.verify, which is
// constant-time, so an attacker learns nothing from response timing.

const enc = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string, hash: "SHA-256" | "SHA-1"): Promise<CryptoKey> {
  const id = hash + ":" + secret;
  let key = keys.get(id);
  if (!key) {
    key = crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash }, false, ["sign", "verify"]);
    keys.set(id, key);
  }
  return key;
}

function hexToBytes(hex: string): Uint8Array | null {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function base64ToBytes(b64: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Joins byte arrays (a prefix such as "<timestamp>." and the raw body). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), (at += p.length);
  return out;
}

/** True when `header` is `sha256=<hex HMAC-SHA256(secret, data)>` (Meta, Chatwoot, CRM). */
export async function verifySha256Header(secret: string, data: Uint8Array, header: string): Promise<boolean> {
  const sig = header.startsWith("sha256=") ? hexToBytes(header.slice(7)) : null;
  if (!sig) return false;
  return crypto.subtle.verify("HMAC", await hmacKey(secret, "SHA-256"), sig, data);
}

/** Twilio's string to sign: the full URL, then every POST param sorted by name as key + value. */
export function twilioStringToSign(url: string, params: Iterable<[string, string]>): string {
  const sorted = [...params].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return url + sorted.map(([k, v]) => k + v).join("");
}

/** True when `signature` is base64(HMAC-SHA1(token, url + sorted params)) for any candidate URL. */
export async function verifyTwilio(token: string, urls: string[], params: [string, string][], signature: string): Promise<boolean> {
  const sig = base64ToBytes(signature);
  if (!sig) return false;
  const key = await hmacKey(token, "SHA-1");
  for (const url of urls) {
    if (await crypto.subtle.verify("HMAC", key, sig, enc.encode(twilioStringToSign(url, params)))) return true;
  }
  return false;
}

/** `sha256=<hex>` signature of data (for tests and docs examples of the CRM webhook). */
export async function signSha256(secret: string, data: Uint8Array): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret, "SHA-256"), data));
  return "sha256=" + [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}
