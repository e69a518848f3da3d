import { createScheduledController, env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  automationCreatedSchema,
  automationDryRunSchema,
  automationRunsSchema,
  automationSchema,
  segmentSchema,
} from "../../workers/contract";
import worker from "../../workers/index";
import { BASE, readJson, waitFor } from "./helpers";
import { ingest, newProject } from "./stats-fixture";

/** Automations' dry run, segment-entry and schedule triggers (through the Worker's scheduled handler), CRUD and log pages. */
describe("dry run", () => {
  it("counts matching events of the last days and their people for an event trigger", async () => {
    const p = await newProject("automations-dry");
    const res = await SELF.fetch(`${BASE}/api/projects/${p.id}/automations`, {
      method: "POST",
      headers: { ...p.write, "content-type": "application/json" },
      body: JSON.stringify({
        name: "dry",
        trigger: { type: "event", event: "signup", where: [{ property: "plan", op: "eq", value: "pro" }] },
        actions: [{ type: "add_to_list", list: "l" }],
      }),
    });
    const a = await readJson(res, automationCreatedSchema);
    const DAY = 86_400_000;
    await ingest(p.id, [
      { name: "signup", ts: Date.now() - DAY, anon: "d1", session: "s", props: { plan: "pro" } },
      { name: "signup", ts: Date.now() - 2 * DAY, anon: "d1", session: "s", props: { plan: "pro" } },
      { name: "signup", ts: Date.now() - DAY, anon: "d2", session: "s", props: { plan: "pro" } },
      { name: "signup", ts: Date.now() - DAY, anon: "d3", session: "s", props: { plan: "free" } },
      { name: "signup", ts: Date.now() - 20 * DAY, anon: "d4", session: "s", props: { plan: "pro" } },
    ]);
    const dry = async (days: number) =>
      readJson(
        await SELF.fetch(`${BASE}/api/projects/${p.id}/automations/${a.id}/dry-run`, {
          method: "POST",
          headers: { ...p.write, "content-type": "application/json" },
          body: JSON.stringify({ days }),
        }),
        automationDryRunSchema,
      );
    const week = await dry(7);
    expect(week).toMatchObject({ trigger: "event", events: 3, people: 2, days: 7 });
    expect(week.sample.map((s) => s.person_id).sort()).toEqual(["a:d1", "a:d2"]);
    expect(await dry(30)).toMatchObject({ events: 4, people: 3 });
    // A dry run starts nothing, and events older than the automation trigger nothing.
    const log = await SELF.fetch(`${BASE}/api/projects/${p.id}/automations/${a.id}/runs`, { headers: p.auth });
    expect((await readJson(log, automationRunsSchema)).runs).toEqual([]);
  });
});

describe("segment and schedule triggers (the scheduled run)", () => {
  const tick = (at: number) => worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/5 * * * *" }), env);

  it("starts a run for each person entering the segment, once, and runs schedules once per interval", async () => {
    const p = await newProject("automations-seg");
    const call = (method: string, path: string, body?: unknown) =>
      SELF.fetch(`${BASE}/api/projects/${p.id}${path}`, {
        method,
        headers: { ...p.write, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const seg = await readJson(
      await call("POST", "/segments", {
        name: "vip",
        definition: { conditions: [{ type: "trait", trait: "tier", op: "eq", value: "vip" }] },
      }),
      segmentSchema,
    );
    const importRows = (rows: unknown[]) => call("POST", "/contacts/import", rows);
    expect((await importRows([{ phone: "+254788000001", attributes: { tier: "vip" } }])).status).toBe(200);
    const entry = await readJson(
      await call("POST", "/automations", {
        name: "entry",
        trigger: { type: "segment_entry", segment_id: seg.id },
        actions: [{ type: "add_to_list", list: "welcomed" }],
      }),
      automationCreatedSchema,
    );
    const sched = await readJson(
      await call("POST", "/automations", {
        name: "weekly",
        trigger: { type: "schedule", every_minutes: 60, segment_id: seg.id },
        actions: [{ type: "add_to_list", list: "nudged" }],
      }),
      automationCreatedSchema,
    );
    const log = async (id: string) =>
      (await readJson(await SELF.fetch(`${BASE}/api/projects/${p.id}/automations/${id}/runs`, { headers: p.auth }), automationRunsSchema))
        .runs;

    const hour = 3_600_000;
    const t0 = Math.floor(Date.now() / hour) * hour + 60_000;
    await tick(t0); // baseline for the entry trigger; the schedule's first slot
    expect(await log(entry.id)).toEqual([]);
    await waitFor(async () => (await log(sched.id)).length === 1 && (await log(sched.id))[0]!.finished_at !== null, 20_000);

    expect((await importRows([{ phone: "+254788000002", attributes: { tier: "vip" } }])).status).toBe(200);
    await tick(t0 + 5 * 60_000); // same schedule slot: nothing new; one new segment member
    await tick(t0 + 10 * 60_000);
    const entered = await waitFor(async () => {
      const r = await log(entry.id);
      return r.length === 1 && r[0]!.finished_at !== null && r;
    }, 20_000);
    expect(entered[0]!.person_id).toBe("x:+254788000002");
    expect((await log(sched.id)).length).toBe(1);

    await tick(t0 + hour); // the next slot: both members
    await waitFor(async () => (await log(sched.id)).filter((r) => r.finished_at !== null).length === 3, 20_000);

    const dry = await readJson(await call("POST", `/automations/${entry.id}/dry-run`, {}), automationDryRunSchema);
    expect(dry).toMatchObject({ trigger: "segment_entry", events: null, people: 2 });

    // A cron schedule (09:00 UTC daily): the run at 09:00 starts one run per member; the next tick nothing.
    const daily = await readJson(
      await call("POST", "/automations", {
        name: "daily",
        trigger: { type: "schedule", cron: "0 9 * * *", segment_id: seg.id },
        actions: [{ type: "add_to_list", list: "daily" }],
      }),
      automationCreatedSchema,
    );
    const nine = Date.parse("2030-01-07T09:00:00Z");
    for (const t of [nine - 5 * 60_000, nine, nine + 5 * 60_000]) await tick(t);
    const dailyRuns = await waitFor(async () => {
      const r = await log(daily.id);
      return r.length === 2 && r.every((x) => x.finished_at !== null) && r;
    }, 20_000);
    expect(new Set(dailyRuns.map((r) => r.trigger_key))).toEqual(new Set([`cron:${nine}`]));
  });
});

describe("CRUD and the log's pages", () => {
  it("lists, replaces and deletes an automation (the secret only at creation), and pages the log", async () => {
    const p = await newProject("automations-crud");
    const call = (method: string, path: string, body?: unknown, headers = p.write) =>
      SELF.fetch(`${BASE}/api/projects/${p.id}/automations${path}`, {
        method,
        headers: { ...headers, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const made = await readJson(
      await call("POST", "", {
        name: "one",
        trigger: { type: "event", event: "visit" },
        actions: [{ type: "add_to_list", list: "visitors" }],
      }),
      automationCreatedSchema,
    );
    expect(made.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const listed = await call("GET", "", undefined, p.auth);
    const body = (await listed.json()) as { automations: Record<string, unknown>[] };
    expect(body.automations.map((x) => x.id)).toEqual([made.id]);
    expect(body.automations[0]).not.toHaveProperty("secret");
    const replaced = await readJson(
      await call("PUT", `/${made.id}`, {
        name: "renamed",
        trigger: { type: "event", event: "visit" },
        max_runs_per_hour: 5,
        actions: [{ type: "add_to_list", list: "v2" }],
      }),
      automationSchema,
    );
    expect(replaced).toMatchObject({ name: "renamed", max_runs_per_hour: 5, actions: [{ type: "add_to_list", list: "v2" }] });

    await ingest(
      p.id,
      ["c1", "c2", "c3"].map((anon) => ({ name: "visit", ts: Date.now(), anon, session: "s" })),
    );
    await waitFor(
      async () => (await readJson(await call("GET", `/${made.id}/runs`, undefined, p.auth), automationRunsSchema)).runs.length === 3,
      20_000,
    );
    const first = await readJson(await call("GET", `/${made.id}/runs?limit=2`, undefined, p.auth), automationRunsSchema);
    expect(first.runs.length).toBe(2);
    const second = await readJson(
      await call("GET", `/${made.id}/runs?limit=2&cursor=${encodeURIComponent(first.next_cursor!)}`, undefined, p.auth),
      automationRunsSchema,
    );
    expect(second).toMatchObject({ next_cursor: null });
    expect([...first.runs, ...second.runs].map((r) => r.person_id).sort()).toEqual(["a:c1", "a:c2", "a:c3"]);

    expect((await call("DELETE", `/${made.id}`)).status).toBe(204);
    expect((await call("GET", `/${made.id}`, undefined, p.auth)).status).toBe(404);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM automation_runs WHERE automation_id = ?")
      .bind(made.id)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
  });
});
