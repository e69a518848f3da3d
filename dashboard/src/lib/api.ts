import { expireSession, project, token } from "./session";
import type { ApiErrorBody } from "./types";

/** A non-2xx answer from the API, carrying the `{error, message}` body the Worker renders. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Params = Record<string, string | number | boolean | null | undefined>;

function query(params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? "?" + s : "";
}

/**
 * Where the API lives: empty (same origin, the Worker serves the dashboard) unless the build was
 * given `JUNCTION_API_URL` (`npm run deploy:dashboard`, a dashboard on Cloudflare Pages).
 */
const API_BASE: string = String(import.meta.env.JUNCTION_API_URL ?? "").replace(/\/+$/, "");

/** `<API_BASE>/api/projects/<current project><path>` */
export function projectUrl(path: string, params?: Params, projectId = project()): string {
  return `${API_BASE}/api/projects/${encodeURIComponent(projectId)}${path}${query(params)}`;
}

async function fail(res: Response): Promise<never> {
  let code = `http_${res.status}`;
  let message = res.statusText || `request failed with ${res.status}`;
  try {
    // Usually the Worker's error envelope; a proxy in between may answer something else.
    const body = (await res.json()) as Partial<ApiErrorBody>;
    if (body.error) code = body.error;
    if (body.message) message = body.message;
  } catch {
    // Not JSON (a proxy error page, say): keep the status line.
  }
  throw new ApiError(res.status, code, message);
}

/** How long a read may wait for its answer to start before it is asked again (once). */
const READ_TIMEOUT_MS = 20_000;

/** `fetch` that gives up when no response (status and headers) has come within `ms`; the body may take longer. */
async function fetchWithin(url: string, init: RequestInit, ms: number): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new DOMException("no answer", "TimeoutError")), ms);
  try {
    return await fetch(url, { ...init, signal: abort.signal });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `fetch`, except that a read (GET without a caller's signal) whose answer has not started within
 * READ_TIMEOUT_MS is abandoned and sent once more: a connection lost on the way (a proxy, a laptop
 * waking up) then costs a retry instead of a panel stuck loading. Writes are sent once.
 */
async function fetchReads(url: string, init: RequestInit): Promise<Response> {
  if ((init.method ?? "GET") !== "GET" || init.signal) return fetch(url, init);
  try {
    return await fetchWithin(url, init, READ_TIMEOUT_MS);
  } catch (err) {
    if ((err as Error).name !== "TimeoutError") throw err;
    return fetchWithin(url, init, READ_TIMEOUT_MS);
  }
}

/** Fetches with the signed-in token; throws `ApiError` unless the answer is 2xx. */
export async function request(url: string, init: RequestInit = {}, bearer = token()): Promise<Response> {
  const headers = new Headers(init.headers);
  if (bearer) headers.set("authorization", `Bearer ${bearer}`);
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  let res: Response;
  try {
    res = await fetchReads(url, { ...init, headers });
  } catch (err) {
    throw new ApiError(0, "network_error", `cannot reach the API (${(err as Error).message})`);
  }
  // Only the stored token expires the session: sign-in checks a candidate token, whose 401 is an answer.
  if (res.status === 401 && bearer && bearer === token()) expireSession();
  if (!res.ok) await fail(res);
  return res;
}

/** GET a project endpoint as JSON. */
export async function getJson<T>(path: string, params?: Params): Promise<T> {
  return (await request(projectUrl(path, params))).json() as Promise<T>;
}

/** POST JSON to a project endpoint. */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return (await request(projectUrl(path), { method: "POST", body: JSON.stringify(body) })).json() as Promise<T>;
}

/** Checks a token against a project before it is stored (401/403/404 surface as ApiError). */
export async function verifyToken(bearer: string, projectId: string): Promise<void> {
  await request(projectUrl("/events", { limit: 1 }, projectId), {}, bearer);
}

/** Downloads a CSV export: the API wants a Bearer header, so a plain link cannot do it. */
export async function download(path: string, params: Params, filename: string): Promise<void> {
  const blob = await (await request(projectUrl(path, params))).blob();
  const href = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement("a"), { href, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
