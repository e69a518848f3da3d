import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { templateListSchema, templateSchema, type Template } from "../../workers/contract";
import { renderTemplate } from "../../workers/lib/send";
import { BASE, readAnswer } from "./helpers";
import { newProject } from "./stats-fixture";

let project: Awaited<ReturnType<typeof newProject>>;

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = project.write) => {
  const res = await SELF.fetch(`${BASE}/api/projects/${project.id}/templates${path}`, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return { status: 204, body: null as any };
  return {
    status: res.status,
    body: (await readAnswer(res, path === "" && method === "GET" ? templateListSchema : templateSchema)) as any,
  };
};

const welcome = {
  name: "welcome_back",
  language: "en_US",
  category: "MARKETING",
  components: [
    { type: "header", variables: [{ from: "trait", key: "name", default: "there" }] },
    {
      type: "body",
      variables: [
        { from: "event", event: "cart_viewed", property: "item" },
        { from: "static", value: "WELCOME10" },
      ],
    },
    { type: "button", sub_type: "url", index: 0, variables: [{ from: "trait", key: "ref" }] },
  ],
};

beforeAll(async () => {
  project = await newProject("templates");
});

describe("templates API", () => {
  it("creates, lists, reads, replaces and deletes a template", async () => {
    const made = await call("POST", "", welcome);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ ...welcome, twilio_content_sid: null });
    const id = made.body.id;
    expect((await call("GET", "")).body.templates.map((t: Template) => t.id)).toEqual([id]);
    expect((await call("GET", `/${id}`)).body.name).toBe("welcome_back");
    const replaced = await call("PUT", `/${id}`, { ...welcome, category: "UTILITY", twilio_content_sid: "HX" + "0".repeat(32) });
    expect(replaced.body).toMatchObject({ category: "UTILITY", twilio_content_sid: "HX" + "0".repeat(32) });
    expect((await call("DELETE", `/${id}`)).status).toBe(204);
    expect((await call("GET", `/${id}`)).body.error).toBe("template_not_found");
  });

  it("refuses a malformed template with every wrong field named", async () => {
    const r = await call("POST", "", {
      name: "Bad Name",
      language: "english",
      category: "PROMO",
      components: [{ type: "body", variables: [{ from: "trait" }] }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("invalid_template");
    expect(r.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      "category",
      "components.0.variables.0.key",
      "language",
      "name",
    ]);
  });

  it("refuses a button without sub_type or index, naming each", async () => {
    const r = await call("POST", "", {
      ...welcome,
      name: "bare_button",
      components: [{ type: "body" }, { type: "button", variables: [{ from: "trait", key: "ref" }] }],
    });
    expect([r.status, r.body.error]).toEqual([400, "invalid_template"]);
    expect(r.body.details).toEqual([
      { path: "components.1.sub_type", message: "a button needs sub_type (url or quick_reply)" },
      { path: "components.1.index", message: "a button needs index, its position 0–9" },
    ]);
  });

  it("refuses a template without a body component, or without components", async () => {
    for (const components of [[], [{ type: "header", variables: [{ from: "static", value: "Hi" }] }], undefined]) {
      const r = await call("POST", "", { name: "no_body", language: "en", category: "UTILITY", components });
      expect([r.status, r.body.error]).toEqual([400, "invalid_template"]);
      expect(r.body.details).toEqual([{ path: "components", message: expect.stringContaining("body") }]);
    }
  });

  it("refuses a second template of the same name and language with 409", async () => {
    const t = { name: "twice", language: "en", category: "UTILITY", components: [{ type: "body" }] };
    expect((await call("POST", "", t)).status).toBe(201);
    expect((await call("POST", "", t)).body.error).toBe("template_exists");
    expect((await call("POST", "", { ...t, language: "sw" })).status).toBe(201);
  });

  it("needs the write scope to change templates, a read scope to list them", async () => {
    expect((await call("POST", "", { ...welcome, name: "read_only" }, project.auth)).status).toBe(403);
    expect((await call("GET", "", undefined, project.auth)).status).toBe(200);
  });
});

describe("renderTemplate", () => {
  const t = { ...welcome, id: "t", twilio_content_sid: null, created_at: "", updated_at: "" } as Template;

  it("fills traits, event properties, static values and defaults, in component order", () => {
    const r = renderTemplate(t, { traits: { ref: "abc" }, events: { cart_viewed: { item: "shoes" } } });
    expect(r).toEqual({
      ok: true,
      components: [
        { type: "header", values: ["there"] },
        { type: "body", values: ["shoes", "WELCOME10"] },
        { type: "button", sub_type: "url", index: 0, values: ["abc"] },
      ],
    });
  });

  it("names the first variable that has no value and no default", () => {
    expect(renderTemplate(t, { traits: { ref: "abc" }, events: {} })).toEqual({ ok: false, missing: "cart_viewed.item" });
    expect(renderTemplate(t, { traits: { name: "  " }, events: { cart_viewed: { item: "x" } } })).toEqual({ ok: false, missing: "ref" });
  });
});
