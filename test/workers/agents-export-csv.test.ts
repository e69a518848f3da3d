import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { enqueue } from "../../workers/lib/queue";
import { BASE, waitFor } from "./helpers";
import { agentConversation, botConversation, ingestConversations, newProject } from "./whatsapp-metrics-data";

/** An RFC 4180 parser written for the test (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

async function exportCsv(project: string, query: string) {
  const res = await SELF.fetch(`${BASE}/api/projects/${project}/export/conversations.csv?${query}`, {
    headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
  const [header, ...rows] = parseCsv(await res.text());
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const iso = (ms: number | null) => (ms == null ? "" : new Date(ms).toISOString());
const s = (ms: number | null) => (ms == null ? "" : String(ms / 1000));

describe("GET /export/conversations.csv", { timeout: 90_000 }, () => {
  it("round-trips every conversation with its metrics, escaping commas, quotes and line breaks", async () => {
    const project = await newProject("csv");
    const t0 = Date.now() - 3 * 3_600_000;
    const tricky = 'O"Brien, Jr.\nTier 2';
    await ingestConversations(project, [
      agentConversation(project, "+254744000001", t0, { bot: 2, queue: 30, reply: 15, second: 40, agent: tricky }),
      agentConversation(project, "+254744000002", t0 + 60_000, { bot: 3, queue: 10, reply: 5, second: 9, agent: '=HYPERLINK("x")' }),
      botConversation(project, "+254744000003", t0 + 120_000, { first: 4, second: 6 }),
    ]);
    const rows = await exportCsv(project, `from=${new Date(t0 - 1000).toISOString()}&to=${new Date().toISOString()}`);
    const { results } = await env.DB.prepare("SELECT * FROM conversations WHERE project_id = ? ORDER BY opened_at")
      .bind(project)
      .all<Record<string, any>>();
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      const c = results[i];
      const human: number[] = JSON.parse(c.response_times_json);
      expect(row).toMatchObject({
        conversation_id: c.conversation_id,
        external_id: c.external_id,
        state: "resolved",
        opened_at: iso(c.opened_at),
        resolved_at: iso(c.resolved_at),
        messages_in: String(c.messages_in),
        first_response_s: s(c.first_response_ms),
        queue_wait_s: s(c.queue_wait_ms),
        resolution_time_s: s(c.resolution_time_ms),
        human_responses: String(human.length),
        reopen_count: "0",
      });
    });
    expect(rows[0].agent_id).toBe(tricky);
    expect(rows[0].external_id).toBe("+254744000001");
    // A value a spreadsheet would run as a formula is written as text (a leading quote).
    expect(rows[1].agent_id).toBe(`'=HYPERLINK("x")`);
    // From the first customer message: 65 s before the handoff + 30 s queue + 15 s reply, then 40 s.
    expect(rows[0].human_response_median_s).toBe(String((110 + 40) / 2));
    expect(rows[2]).toMatchObject({ agent_id: "", first_response_s: "", bot_response_median_s: "5" });
  });

  it("streams every row of a range larger than one page exactly once, in opening order", async () => {
    const project = await newProject("csv");
    const t0 = Date.parse("2026-10-05T00:00:00Z");
    // 1203 summaries through the real summary path; many share an opening time, so pages must tie-break.
    const summaries = Array.from({ length: 1203 }, (_, i) => ({
      kind: "conversation_summary" as const,
      summary: {
        project_id: project,
        conversation_id: `c-${String(i).padStart(5, "0")}`,
        external_id: `+2547550${String(i).padStart(5, "0")}`,
        state: "resolved" as const,
        agent_id: "ann",
        opened_at: t0 + Math.floor(i / 7) * 1000,
        queued_at: null,
        assigned_at: null,
        resolved_at: null,
        last_event_at: null,
        messages_in: 1,
        messages_out: 1,
        bot_responses: 0,
        first_response_ms: i,
        bot_first_response_ms: null,
        queue_wait_ms: null,
        handle_time_ms: null,
        resolution_time_ms: null,
        response_times: [i],
        bot_response_times: [],
        reopen_count: 0,
        updated_at: 1,
      },
    }));
    const outside = { ...summaries[0], summary: { ...summaries[0].summary, conversation_id: "c-outside", opened_at: t0 - 1 } };
    await enqueue(env.EVENTS, [...summaries, outside]);
    await waitFor(
      async () =>
        (await env.DB.prepare("SELECT count(*) AS n FROM conversations WHERE project_id = ?").bind(project).first<{ n: number }>())!.n ===
        1204,
      30_000,
    );

    const rows = await exportCsv(project, "from=2026-10-05&to=2026-10-06");
    expect(rows).toHaveLength(1203);
    expect(rows.map((r) => r.conversation_id)).toEqual(summaries.map((m) => m.summary.conversation_id));
    expect(rows[1202].first_response_s).toBe("1.202");
  });
});
