import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { app } from "../../workers/app";
import { ERROR_CODES } from "../../workers/contract";
import { BASE } from "./helpers";

const operationSchema = z.object({
  summary: z.string().min(1),
  tags: z.array(z.string()).min(1),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  responses: z.record(z.string(), z.object({ description: z.string(), content: z.record(z.string(), z.unknown()).optional() })),
});
const documentSchema = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.object({ securitySchemes: z.record(z.string(), z.unknown()), schemas: z.record(z.string(), z.unknown()) }),
});

async function document() {
  const res = await SELF.fetch(`${BASE}/api/openapi.json`);
  expect(res.status).toBe(200);
  return documentSchema.parse(await res.json());
}

/** Every route the app serves, as OpenAPI "METHOD /path" keys; middleware (`use`) entries are not routes. */
const served = [
  ...new Set(
    app.routes.filter((r) => r.method !== "ALL" && !r.path.includes("*")).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
  ),
];

const operations = (doc: z.infer<typeof documentSchema>) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );

describe("GET /api/openapi.json", () => {
  it("is an OpenAPI 3.1 document, public (no token)", async () => {
    const doc = await document();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.schemas.Error).toMatchObject({ type: "object", required: expect.arrayContaining(["error", "message"]) });
  });

  it("lists every route the app serves, and nothing it does not", async () => {
    const listed = operations(await document()).map((o) => o.key);
    expect(served.length).toBeGreaterThan(30);
    expect([...listed].sort()).toEqual([...served].sort());
  });

  it("gives every operation a summary, its security and an error response with the envelope", async () => {
    for (const { key, op } of operations(await document())) {
      const o = operationSchema.parse(op);
      const errors = Object.entries(o.responses).filter(([status]) => Number(status) >= 400);
      expect(errors.length, key).toBeGreaterThan(0);
      for (const [status, r] of errors) {
        expect(JSON.stringify(r.content?.["application/json"]), `${key} ${status}`).toContain("#/components/schemas/Error");
        // Each error status lists only codes that come with that status.
        const codes = (r.content!["application/json"] as { schema: { allOf: [unknown, { properties: { error: { enum: string[] } } }] } })
          .schema.allOf[1].properties.error.enum;
        for (const code of codes) expect(ERROR_CODES[code as keyof typeof ERROR_CODES].status, `${key} ${code}`).toBe(Number(status));
      }
      expect(
        Object.keys(o.responses).some((s) => Number(s) < 400),
        key,
      ).toBe(true);
    }
  });

  it("takes each project route's scopes from the enforced table, and marks public and signed routes as such", async () => {
    const ops = operations(await document());
    const byKey = new Map(ops.map((o) => [o.key, operationSchema.parse(o.op)]));
    expect(byKey.get("GET /api/projects/{project}/stats/overview")!.security).toEqual([{ bearerAuth: ["read", "write", "share"] }]);
    expect(byKey.get("POST /api/projects/{project}/funnels/query")!.security).toEqual([{ bearerAuth: ["read", "write", "share"] }]);
    expect(byKey.get("POST /api/projects/{project}/funnels")!.security).toEqual([{ bearerAuth: ["write"] }]);
    expect(byKey.get("POST /api/handshakes")!.security).toEqual([{ bearerAuth: ["write", "bot"] }]);
    expect(byKey.get("POST /api/projects")!.security).toEqual([{ bearerAuth: ["admin"] }]);
    expect(byKey.get("POST /capture")!.security).toEqual([]);
    const meta = ops.find((o) => o.key === "POST /webhooks/meta")!.op as {
      security: unknown[];
      parameters: { in: string; name: string }[];
    };
    expect(meta.security).toEqual([]);
    expect(meta.parameters).toContainEqual(expect.objectContaining({ in: "header", name: "X-Hub-Signature-256" }));
  });

  it("is self-consistent: unique operation ids, every path parameter declared, every $ref resolvable", async () => {
    const doc = await document();
    const ops = operations(doc);
    const ids = ops.map((o) => (o.op as { operationId: string }).operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { key, op } of ops) {
      const names = [...key.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const params = ((op as { parameters?: { in: string; name: string; required?: boolean }[] }).parameters ?? []).filter(
        (p) => p.in === "path",
      );
      expect(params.map((p) => p.name).sort(), key).toEqual([...names].sort());
      expect(
        params.every((p) => p.required),
        key,
      ).toBe(true);
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(0);
    for (const [, kind, name] of refs)
      expect((doc.components as Record<string, Record<string, unknown>>)[kind]?.[name], `${kind}/${name}`).toBeDefined();
  });

  it("describes exports as text/csv", async () => {
    const ops = operations(await document()).filter((o) => o.key.includes("/export/"));
    expect(ops.length).toBe(3);
    for (const { key, op } of ops) expect(Object.keys(operationSchema.parse(op).responses["200"].content ?? {}), key).toEqual(["text/csv"]);
  });
});
