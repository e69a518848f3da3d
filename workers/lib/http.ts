import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { ERROR_CODES, type ErrorCode, type ErrorDetails, type ErrorStatus } from "../contract";
import { QueueUnavailableError } from "./queue";

type Headers = Record<string, string>;

/**
 * The arguments of every ApiError, one tuple per code: the status must be the code's status in
 * ERROR_CODES and `details` its one shape, so a code cannot come with two statuses.
 */
export type ApiErrorArgs = {
  [C in ErrorCode]: ErrorDetails<C> extends undefined
    ? [status: ErrorStatus<C>, code: C, message: string, details?: undefined, headers?: Headers]
    : [status: ErrorStatus<C>, code: C, message: string, details: ErrorDetails<C>, headers?: Headers];
}[ErrorCode];

/** A client error carrying a machine-readable code; rendered as JSON by `renderError`. */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly headers?: Headers;

  constructor(...[status, code, message, details, headers]: ApiErrorArgs) {
    super(status as ContentfulStatusCode, { message });
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

/** What a request part is called in its `invalid_<what>` code. */
export type InputName =
  | "batch"
  | "query"
  | "funnel"
  | "breakdown"
  | "handshake"
  | "project"
  | "token"
  | "segment"
  | "sla_policy"
  | "template"
  | "campaign";
type InvalidCode = `invalid_${InputName}`;

/** Parses `input` with `schema` or throws a 400 naming every field that was wrong. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, what: InputName): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalid(result.error, what);
  return result.data;
}

export function invalid(error: z.ZodError, what: InputName): ApiError {
  return new ApiError(400, `invalid_${what}` satisfies InvalidCode, z.prettifyError(error), issuesOf(error));
}

/** A 400 for one wrong field, in the same `details` shape as a schema failure. */
export function badField(code: Extract<ErrorCode, `invalid_${string}`>, path: string, message: string): ApiError {
  return new ApiError(...([400, code, message, [{ path, message }]] as ApiErrorArgs));
}

export function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

/** The one place errors become responses: JSON for clients, a logged 500 for our own bugs. */
export function renderError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json({ error: err.code, message: err.message, details: err.details }, err.status, err.headers);
  }
  if (err instanceof QueueUnavailableError) {
    return c.json(
      { error: "queue_unavailable", message: "events could not be queued; retry later" },
      ERROR_CODES.queue_unavailable.status,
      { "Retry-After": "5" },
    );
  }
  if (err instanceof HTTPException) {
    return c.json({ error: "http_" + err.status, message: err.message }, err.status);
  }
  console.error("unhandled", err);
  return c.json({ error: "internal_error", message: "internal error" }, ERROR_CODES.internal_error.status);
}

/** Reads a JSON body whatever its content type (sendBeacon sends text/plain); 400 when it is not JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const raw = await c.req.text();
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, "invalid_json", "body is not valid JSON");
  }
}
