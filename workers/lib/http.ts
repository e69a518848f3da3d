import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";

/** A client error carrying a machine-readable code; rendered as JSON by `renderError`. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(status, { message });
  }
}

/** Parses `input` with `schema` or throws a 400 naming every field that was wrong. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, what = "request"): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalid(result.error, what);
  return result.data;
}

export function invalid(error: z.ZodError, what: string): ApiError {
  return new ApiError(400, "invalid_" + what, z.prettifyError(error), issuesOf(error));
}

export function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

/** The one place errors become responses: JSON for clients, a logged 500 for our own bugs. */
export function renderError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json({ error: err.code, message: err.message, details: err.details }, err.status, err.headers);
  }
  if (err instanceof HTTPException) {
    return c.json({ error: "http_" + err.status, message: err.message }, err.status);
  }
  console.error("unhandled", err);
  return c.json({ error: "internal_error", message: "internal error" }, 500);
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
