import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, readJson } from "./helpers";
import { ingest, newProject, type Ev } from "./stats-fixture";
import { savedFunnelResultSchema, savedFunnelSchema } from "../../workers/contract";

/** A strict RFC 4180 parser, independent of the exporter, for round-trip checks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [],
    field = "",
    i = 0,
    quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (ch === '"') (quoted = false), i++;
      else (field += ch), i++;
    } else if (ch === '"') (quoted = true), i++;
    else if (ch === ",") row.push(field), (field = ""), i++;
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), (i += 2);
    else (field += ch), i++;
  }
  if (field || row.length) throw new Error("CSV does not end with CRLF");
  return rows;
}

const T0 = Date.parse("2026-08-01T00:00:00Z");
const TRICKY = { note: 'comma, "quotes"\nand a newline', emoji: "ħ ✓ 🚀", n: 3.5, ok: true };
let project: Awaited<ReturnType<typeof newProject>>;
const download = async (path: string) => {
  const res = await SELF.fetch(`${BASE}/api/projects/${project.id}/export/${path}`, { headers: project.auth });
  return { res, rows: res.status === 200 ? parseCsv(await res.text()) : [] };
};

beforeAll(async () => {
  project = await newProject("export");
  const evs: Ev[] = Array.from({ length: 1205 }, (_, i) => ({
    name: i % 3 ? "page_view" : "return_started",
    ts: T0 + i * 60_000,
    anon: `v${i % 50}`,
    session: `s${i % 80}`,
    path: `/p/${i % 7}`,
    props: i === 7 ? TRICKY : { i },
  }));
  evs.push({
    name: "message_received",
    ts: T0 + 5_000,
    channel: "whatsapp",
    ext: "+254722000000",
    conv: "wa:x",
    props: { direction: "inbound" },
  });
  await ingest(project.id, evs);
}, 60_000);

/** What a spreadsheet must see: a string it would run as a formula starts with `'`. */
const spreadsheetSafe = (v: unknown) =>
  typeof v === "string" && "=+-@\t\r".includes(v[0] ?? "") && !/^[+-]\d+(\.\d+)?$/.test(v) ? `'${v}` : String(v);

describe("GET /export/events.csv", () => {
  it("writes browser-supplied strings a spreadsheet would run as formulas as text", async () => {
    const p = await newProject("csv-formula");
    const hostile = ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "+254712345678"];
    await ingest(
      p.id,
      hostile.map((utm, i) => ({
        name: "page_view",
        ts: Date.parse("2026-08-01T00:00:00Z") + i * 1000,
        anon: `f${i}`,
        session: `f${i}`,
        utm_source: utm,
      })),
    );
    const res = await SELF.fetch(`${BASE}/api/projects/${p.id}/export/events.csv?from=2026-08-01&to=2026-08-02`, { headers: p.auth });
    const [header, ...data] = parseCsv(await res.text());
    const utm = data.map((d) => d[header.indexOf("utm_source")]);
    expect(utm).toEqual([...hostile.slice(0, 4).map((h) => `'${h}`), "+254712345678"]);
  }, 30_000);

  it("streams every matching event across pages and round-trips through a CSV parser", async () => {
    const { res, rows } = await download("events.csv?from=2026-08-01&to=2026-08-02");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain(`events-${project.id}.csv`);
    const [header, ...data] = rows;
    expect(header.slice(0, 5)).toEqual(["event_id", "timestamp", "received_at", "event_name", "channel_type"]);
    expect(header).not.toContain("handshake_token");
    // 1205 web events, one WhatsApp message and the idle resolution of its conversation.
    expect(data).toHaveLength(1207);
    const { results } = await env.DB.prepare("SELECT * FROM events WHERE project_id = ? ORDER BY timestamp, event_id")
      .bind(project.id)
      .all<Record<string, any>>();
    const asCsv = (r: Record<string, any>) =>
      header.map((c) =>
        c === "timestamp" || c === "received_at"
          ? new Date(r[c]).toISOString()
          : c === "is_bot"
            ? r[c]
              ? "true"
              : "false"
            : r[c] == null
              ? ""
              : spreadsheetSafe(r[c]),
      );
    expect(data).toEqual(results.map(asCsv));
    const tricky = data.find((d) => d[header.indexOf("properties")].includes("newline"))!;
    expect(JSON.parse(tricky[header.indexOf("properties")])).toEqual(TRICKY);
  });

  it("applies the same filters as the stats endpoints", async () => {
    const { rows } = await download("events.csv?from=2026-08-01&to=2026-08-02&channel=whatsapp");
    expect(rows.slice(1).map((r) => [r[3], r[4]])).toEqual([
      ["message_received", "whatsapp"],
      ["conversation_resolved", "whatsapp"],
    ]);
    const byPath = await download("events.csv?from=2026-08-01&to=2026-08-02&path=%2Fp%2F3&event_name=return_started");
    expect(byPath.rows.length - 1).toBe(Array.from({ length: 1205 }, (_, i) => i).filter((i) => i % 7 === 3 && i % 3 === 0).length);
    const window = await download("events.csv?from=2026-08-01T01:00:00Z&to=2026-08-01T02:00:00Z");
    expect(window.rows.length - 1).toBe(60);
  });

  it("answers 400 for bad filters", async () => {
    const { res } = await download("events.csv?from=nope");
    expect(res.status).toBe(400);
  });
});

describe("GET /export/funnel.csv", () => {
  it("exports a saved funnel's steps as the JSON run reports them", async () => {
    const saved = await SELF.fetch(`${BASE}/api/projects/${project.id}/funnels`, {
      method: "POST",
      headers: { ...project.write, "content-type": "application/json" },
      body: JSON.stringify({ name: "Pages", steps: [{ event: "return_started" }, { event: "page_view", path: "/p/1" }], window: 3600 }),
    });
    const { id } = await readJson(saved, savedFunnelSchema);
    const q = "from=2026-08-01&to=2026-08-02&breakdown=path";
    const json = await readJson(
      await SELF.fetch(`${BASE}/api/projects/${project.id}/funnels/${id}?${q}`, { headers: project.auth }),
      savedFunnelResultSchema,
    );
    const { rows } = await download(`funnel.csv?funnel_id=${id}&${q}`);
    expect(rows[0]).toEqual([
      "path",
      "step",
      "event",
      "channel",
      "count",
      "conversion_from_first",
      "conversion_from_previous",
      "drop_off",
      "median_seconds_to_convert",
    ]);
    const expected = json.breakdown!.flatMap((g: any) =>
      g.steps.map((s: any, i: number) => [
        g.value ?? "",
        String(i + 1),
        s.event,
        s.channel ?? "",
        String(s.count),
        String(s.conversion_from_first ?? ""),
        String(s.conversion_from_previous ?? ""),
        String(s.drop_off),
        String(s.median_seconds_to_convert ?? ""),
      ]),
    );
    expect(rows.slice(1)).toEqual(expected);
    expect(Number(rows[1][4])).toBeGreaterThan(0);
  });

  it("answers 404 for an unknown funnel and 400 without funnel_id", async () => {
    expect((await download("funnel.csv?funnel_id=nope")).res.status).toBe(404);
    expect((await download("funnel.csv")).res.status).toBe(400);
  });
});
