import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import { crmResponseSchema } from "../../workers/contract";
import { ADMIN, BASE, readJson, waitFor } from "./helpers";
import { postCrm } from "./webhooks-helpers";

/** A fresh project; with `metaAccount`, Meta deliveries of that phone number id are filed under it. */
export async function supportProject(prefix: string, metaAccount?: string): Promise<string> {
  const id = `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  const accounts = JSON.stringify(metaAccount ? [`meta:${metaAccount}`] : []);
  await env.DB.prepare("INSERT INTO projects (id, name, whatsapp_accounts) VALUES (?, ?, ?)").bind(id, id, accounts).run();
  return id;
}

/** A CRM event at epoch ms `at` with a fresh id. */
export const crm = (type: string, at: number, fields: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  type,
  occurred_at: new Date(at).toISOString(),
  ...fields,
});

/** Posts signed CRM events for `project` and expects every one accepted. */
export async function sendCrm(project: string, events: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < events.length; i += 100) {
    const chunk = events.slice(i, i + 100);
    const res = await postCrm({ project, events: chunk });
    expect(res.status).toBe(202);
    expect(await readJson(res, crmResponseSchema)).toEqual({ accepted: chunk.length, rejected: [] });
  }
}

/** Waits until D1 holds `n` conversation cycles of the project matching `where` (e.g. resolved ones). */
export async function waitForCycles(project: string, n: number, where = "1 = 1"): Promise<void> {
  await waitFor(async () => {
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM conversation_cycles WHERE project_id = ? AND ${where}`)
      .bind(project)
      .first<{ n: number }>();
    return row!.n === n;
  }, 30_000);
}

/** Waits until D1 holds `n` rows of `table` for the project. */
export async function waitForRows(table: "csat_responses" | "agent_status_changes", project: string, n: number): Promise<void> {
  await waitFor(async () => {
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE project_id = ?`).bind(project).first<{ n: number }>();
    return row!.n === n;
  }, 30_000);
}

/** An authenticated request (admin unless `auth` says otherwise). */
export function call(path: string, init: RequestInit = {}, auth: Record<string, string> = ADMIN) {
  return SELF.fetch(`${BASE}${path}`, {
    ...init,
    headers: { ...auth, "content-type": "application/json", ...(init.headers as Record<string, string>) },
  });
}
