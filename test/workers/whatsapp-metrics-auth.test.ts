import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../workers/lib/tokens";
import { BASE, readJson } from "./helpers";
import { errorSchema } from "../../workers/contract";

// Access per route and scope is tested once, in api-auth.test.ts; here: the live socket's query token and 400s.
const project = "auth-" + crypto.randomUUID().slice(0, 8);
const token = "jrt_" + crypto.randomUUID().replaceAll("-", "");

beforeAll(async () => {
  await env.DB.prepare("INSERT INTO projects (id, name, read_token_hash) VALUES (?, ?, ?)")
    .bind(project, project, await sha256Hex(token))
    .run();
});

function call(path: string, init: RequestInit = {}, auth?: string) {
  const headers = new Headers(init.headers);
  if (auth) headers.set("authorization", `Bearer ${auth}`);
  return SELF.fetch(`${BASE}/api/projects/${project}${path}`, { ...init, headers });
}

describe("the live socket token and query errors", () => {
  it("accepts the read token as ?access_token= on the live socket only", async () => {
    const live = await SELF.fetch(`${BASE}/api/projects/${project}/live?access_token=${token}`, { headers: { upgrade: "websocket" } });
    expect(live.status).toBe(101);
    live.webSocket!.accept();
    live.webSocket!.close(1000, "done");
    const other = await SELF.fetch(`${BASE}/api/projects/${project}/agents?access_token=${token}`);
    expect(other.status).toBe(401);
  });

  it.each([
    ["/whatsapp/overview?from=2026-11-10&to=2026-11-01", "invalid_range"],
    ["/whatsapp/overview?from=yesterday", "invalid_query"],
    ["/agents?tz=Nowhere/Else", "invalid_query"],
    ["/export/conversations.csv?to=soon", "invalid_query"],
  ])("GET %s answers 400 %s", async (path, error) => {
    const res = await call(path, {}, token);
    expect(res.status).toBe(400);
    expect(await readJson(res, errorSchema)).toMatchObject({ error });
  });
});
