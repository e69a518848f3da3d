import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, BASE, readJson } from "./helpers";
import {
  errorSchema,
  handshakeIssuedSchema,
  handshakeStatsSchema,
  projectCreatedSchema,
  projectTokenCreatedSchema,
} from "../../workers/contract";

const READ = { authorization: "Bearer demo-read-token" };
const WRITE = { authorization: "Bearer demo-write-token" };
let otherProject: { authorization: string };
let otherBot: { authorization: string };

beforeAll(async () => {
  const res = await SELF.fetch(`${BASE}/api/projects`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ id: "hs-other", name: "Another app" }),
  });
  otherProject = { authorization: `Bearer ${(await readJson(res, projectCreatedSchema)).read_token}` };
  const bot = await SELF.fetch(`${BASE}/api/projects/hs-other/tokens`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ scope: "bot", name: "bot" }),
  });
  otherBot = { authorization: `Bearer ${(await readJson(bot, projectTokenCreatedSchema)).token}` };
});

function issue(body: unknown, headers: Record<string, string> = WRITE) {
  return SELF.fetch(`${BASE}/api/handshakes`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("POST /api/handshakes", () => {
  it("issues a token with the project's read token, defaulting the conversation to the contact's", async () => {
    const res = await issue({ project: "demo", external_id: "whatsapp:+254 712 000 111" });
    expect(res.status).toBe(201);
    const body = await readJson(res, handshakeIssuedSchema);
    expect(body).toMatchObject({ external_id: "+254712000111", conversation_id: "wa:demo:+254712000111" });
    expect(new URL(body.url).searchParams.get("hs_token")).toBe(body.token);
  });

  it("answers 401 without a token and 403 for another project's token", async () => {
    const anonymous = await SELF.fetch(`${BASE}/api/handshakes`, {
      method: "POST",
      body: JSON.stringify({ project: "demo", external_id: "+254712000111" }),
    });
    expect(anonymous.status).toBe(401);
    const foreign = await issue({ project: "demo", external_id: "+254712000111" }, otherBot);
    expect(foreign.status).toBe(403);
    expect(await readJson(foreign, errorSchema)).toMatchObject({ error: "forbidden" });
    expect((await issue({ project: "hs-other", external_id: "+254712000111" }, otherBot)).status).toBe(201);
  });

  it.each([
    ["not JSON", "{nope", 400, "invalid_json"],
    ["no phone", { project: "demo" }, 400, "invalid_handshake"],
    ["a phone that is not E.164", { project: "demo", external_id: "call me" }, 400, "invalid_handshake"],
    ["a ttl over 30 days", { project: "demo", external_id: "+254712000111", ttl_seconds: 40 * 86_400 }, 400, "invalid_handshake"],
    ["an unknown project", { project: "nope", external_id: "+254712000111" }, 404, "unknown_project"],
  ])("answers %s with a JSON error", async (_name, body, status, error) => {
    const res = await issue(body, ADMIN);
    expect(res.status).toBe(status);
    expect(await readJson(res, errorSchema)).toMatchObject({ error });
  });
});

describe("GET /api/projects/:project/handshakes/stats", () => {
  it("needs a token for the project", async () => {
    expect((await SELF.fetch(`${BASE}/api/projects/demo/handshakes/stats`)).status).toBe(401);
    expect((await SELF.fetch(`${BASE}/api/projects/demo/handshakes/stats`, { headers: otherProject })).status).toBe(403);
    const res = await SELF.fetch(`${BASE}/api/projects/demo/handshakes/stats`, { headers: READ });
    expect(await readJson(res, handshakeStatsSchema)).toMatchObject({
      issued: expect.any(Number),
      redeemed: expect.any(Number),
      rejected: expect.any(Number),
    });
  });
});
