import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { automationCreatedSchema, automationRunDetailSchema, automationRunsSchema } from "../../workers/contract";
import { accepted, campaignProject, contacts, template } from "./campaigns-helpers";
import { BASE, readJson, waitFor } from "./helpers";
import { ingest } from "./stats-fixture";

/** The `send_template` action through the project's provider (the stand-in, docs/standin-provider.md). */
describe("send_template", () => {
  it("sends the template with the contact's traits, once, and skips an opted-out contact", async () => {
    const account = "meta:700100200300901";
    const p = await campaignProject("auto-send", account);
    const call = (method: string, path: string, body?: unknown) =>
      SELF.fetch(`${BASE}/api/projects/${p.id}${path}`, {
        method,
        headers: { ...p.write, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    await contacts(p, [
      { phone: "+254701900001", name: "Amina", consent: "opted_in" },
      { phone: "+254701900002", name: "Otieno", consent: "opted_out" },
    ]);
    const tpl = await template(p, {
      name: "auto_reminder",
      category: "UTILITY",
      components: [
        {
          type: "body",
          variables: [
            { from: "trait", key: "name" },
            { from: "event", event: "order_placed", property: "order", default: "your order" },
          ],
        },
      ],
    });
    const made = await call("POST", "/automations", {
      name: "remind",
      trigger: { type: "event", event: "order_placed" },
      actions: [{ type: "send_template", template_id: tpl }],
    });
    const a = await readJson(made, automationCreatedSchema);
    await ingest(p.id, [
      { name: "order_placed", ts: Date.now(), channel: "whatsapp", ext: "+254701900001", props: { order: "A-17" } },
      { name: "order_placed", ts: Date.now(), channel: "whatsapp", ext: "+254701900002", props: { order: "A-18" } },
    ]);
    const runs = await waitFor(async () => {
      const r = (await readJson(await call("GET", `/automations/${a.id}/runs`), automationRunsSchema)).runs;
      return r.length === 2 && r.every((x) => x.finished_at !== null) && r;
    }, 20_000);
    const byPerson = Object.fromEntries(runs.map((r) => [r.person_id, r]));
    const steps = async (id: string) =>
      (await readJson(await call("GET", `/automations/${a.id}/runs/${id}`), automationRunDetailSchema)).steps;
    expect((await steps(byPerson["x:+254701900001"]!.id)).map((s) => [s.name, s.status])).toEqual([["action 1: send_template", "ok"]]);
    expect(await steps(byPerson["x:+254701900002"]!.id)).toEqual([
      expect.objectContaining({ status: "skipped", detail: "the contact opted out" }),
    ]);
    const sent = await accepted(account);
    expect(sent.map((m) => m.to)).toEqual(["254701900001"]);
    expect(sent[0]!.request.template).toEqual({
      name: "auto_reminder",
      language: { code: "en" },
      components: [
        {
          type: "body",
          parameters: [
            { type: "text", text: "Amina" },
            { type: "text", text: "A-17" },
          ],
        },
      ],
    });
  });
});
