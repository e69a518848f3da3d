import { ApiError } from "../lib/http";

/** Meta documents webhook bodies of up to 3 MB; the same cap protects every webhook. */
export const WEBHOOK_MAX_BYTES = 3 * 1024 * 1024;

const tooLarge = () => new ApiError(413, "payload_too_large", `body exceeds ${WEBHOOK_MAX_BYTES} bytes`);

/**
 * The exact raw bytes of the body (signatures are computed over them), read with a cap: a
 * declared Content-Length over the limit is refused before reading, a chunked body as it streams.
 */
export async function readRawBody(req: Request, max = WEBHOOK_MAX_BYTES): Promise<Uint8Array> {
  if (Number(req.headers.get("content-length") ?? 0) > max) throw tooLarge();
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) out.set(c, at), (at += c.byteLength);
  return out;
}

/** Parses JSON from verified bytes; 400 `invalid_json` when it is not JSON. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ApiError(400, "invalid_json", "body is not valid JSON");
  }
}
