import type { Env, Hono } from "hono";
import { describeRoute, generateSpecs, resolver } from "hono-openapi";
import { z } from "zod";
import { ERROR_CODES, errorSchema, type ErrorCode, type TokenScope } from "../contract";
import { scopesFor } from "./auth";

/**
 * How a route is called: `public` needs nothing; `project` needs a project token whose scope
 * `scopesFor` allows (filled in from that one table when the document is generated, so the
 * document cannot drift from what is enforced); `admin` needs the admin token; `scopes` any token
 * holding one of them; `signature` a provider's signed request (the headers are named).
 */
export type RouteAuth =
  | "public"
  | "project"
  | "admin"
  | { scopes: readonly TokenScope[] }
  | { signature: { header: string; description: string }[] };

type Media = "application/json" | "text/csv" | "text/plain" | "text/xml" | "application/x-www-form-urlencoded";
export type DocResponse = { description: string; schema?: z.ZodType; type?: Media; headers?: Record<string, string> };

export type RouteDoc = {
  summary: string;
  description?: string;
  tags: string[];
  auth: RouteAuth;
  /** The query string, as the route's own schema (parsed from strings). */
  query?: z.ZodObject;
  /** The request body, as the route validates it. */
  body?: z.ZodType;
  bodyType?: Media;
  responses: Record<number, DocResponse>;
  /** Error codes this route answers besides the ones its `auth` implies and `internal_error`. */
  errors?: ErrorCode[];
};

const BEARER = "bearerAuth";
const ERROR_REF = "#/components/schemas/Error";
const PROJECT_AUTH = "x-junction-project-auth";

function errorsImplied(auth: RouteAuth): ErrorCode[] {
  if (auth === "public" || (typeof auth === "object" && "signature" in auth)) return [];
  if (auth === "project") return ["unauthorized", "forbidden", "unknown_project"];
  return ["unauthorized", "forbidden"];
}

/** One response per status, listing its codes; the envelope is the shared `Error` schema with `error` narrowed. */
function errorResponses(codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...codes, "internal_error" as const])) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      {
        description: list.map((c) => `\`${c}\`: ${ERROR_CODES[c].description}`).join("; "),
        content: {
          "application/json": { schema: { allOf: [{ $ref: ERROR_REF }, { properties: { error: { enum: list } } }] } },
        },
      },
    ]),
  );
}

/** Query-string parameters from a zod object (as its input: strings before coercion). */
function queryParameters(schema: z.ZodObject) {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    in: "query" as const,
    name,
    required: json.required?.includes(name) ?? false,
    ...(s.description && { description: s.description }),
    schema: s,
  }));
}

function security(auth: RouteAuth) {
  if (auth === "public" || (typeof auth === "object" && "signature" in auth)) return [];
  if (auth === "admin") return [{ [BEARER]: ["admin"] }];
  if (auth === "project") return [{ [BEARER]: [] }];
  return [{ [BEARER]: [...auth.scopes] }];
}

const output = <S extends z.ZodType>(schema: S) => resolver(schema, { options: { io: "output" } });

/** The OpenAPI description of one route, as hono-openapi middleware: `app.get(path, doc({...}), handler)`. */
export function doc(d: RouteDoc) {
  const headers = typeof d.auth === "object" && "signature" in d.auth ? d.auth.signature : [];
  const parameters = [
    ...(d.query ? queryParameters(d.query) : []),
    ...headers.map((h) => ({
      in: "header" as const,
      name: h.header,
      required: true,
      description: h.description,
      schema: { type: "string" as const },
    })),
  ];
  const responses = Object.fromEntries(
    Object.entries(d.responses).map(([status, r]) => [
      status,
      {
        description: r.description,
        ...(r.headers && {
          headers: Object.fromEntries(
            Object.entries(r.headers).map(([h, description]) => [h, { description, schema: { type: "string" as const } }]),
          ),
        }),
        ...(r.schema && { content: { [r.type ?? "application/json"]: { schema: output(r.schema) } } }),
      },
    ]),
  );
  return describeRoute({
    summary: d.summary,
    ...(d.description && { description: d.description }),
    tags: d.tags,
    security: security(d.auth),
    ...(d.auth === "project" && { [PROJECT_AUTH]: true }),
    ...(parameters.length && { parameters }),
    ...(d.body && { requestBody: { required: true, content: { [d.bodyType ?? "application/json"]: { schema: resolver(d.body) } } } }),
    responses: { ...errorResponses([...errorsImplied(d.auth), ...(d.errors ?? [])]), ...responses },
  });
}

const METHODS = ["get", "put", "post", "delete", "patch", "head"] as const;

/**
 * The OpenAPI 3.1 document of `app`, generated once per isolate from the routes' `doc(...)` and
 * the contract's schemas. Project routes get their scopes from `scopesFor`.
 */
export function openApiDocument<E extends Env>(app: Hono<E>, info: { title: string; version: string; description: string }) {
  let spec: Promise<Record<string, unknown>> | undefined;
  return () =>
    (spec ??= generateSpecs(app, {
      excludeStaticFile: false,
      documentation: {
        info,
        components: {
          securitySchemes: {
            [BEARER]: {
              type: "http",
              scheme: "bearer",
              description:
                "The admin token, or a project token (scopes read, write, bot, privacy, share). Each operation's security lists the scopes that may call it.",
            },
          },
          schemas: { Error: z.toJSONSchema(errorSchema, { unrepresentable: "any" }) as Record<string, unknown> },
        },
      },
    })
      .then((doc) => {
        for (const [path, item] of Object.entries(doc.paths ?? {})) {
          for (const method of METHODS) {
            const op = (item as Record<string, Record<string, unknown> | undefined>)[method];
            if (!op?.[PROJECT_AUTH]) continue;
            delete op[PROJECT_AUTH];
            const scopes = scopesFor(method.toUpperCase(), path.replace("{project}", "p"));
            op.security = [{ [BEARER]: [...scopes] }];
          }
        }
        return doc as unknown as Record<string, unknown>;
      })
      .catch((err: unknown) => {
        // Not cached: the next request tries again.
        spec = undefined;
        throw err;
      }));
}
