import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { contactImportReportSchema, errorSchema, projectCreatedSchema, projectTokenCreatedSchema } from "../../workers/contract";
import { CsvParser } from "../../workers/lib/csv-parse";
import { ADMIN, BASE, readJson } from "./helpers";

/** A project whose national numbers are Kenyan, with a write token. */
async function kenyanProject(prefix: string) {
  const id = `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  const res = await SELF.fetch(`${BASE}/api/projects`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ id, name: prefix, default_country: "KE" }),
  });
  const { read_token } = await readJson(res, projectCreatedSchema);
  const t = await SELF.fetch(`${BASE}/api/projects/${id}/tokens`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ scope: "write", name: "import" }),
  });
  const { token } = await readJson(t, projectTokenCreatedSchema);
  return { id, read: { authorization: `Bearer ${read_token}` }, write: { authorization: `Bearer ${token}` } };
}

let p: Awaited<ReturnType<typeof kenyanProject>>;

const upload = (body: BodyInit, type: string, headers = p.write) =>
  SELF.fetch(`${BASE}/api/projects/${p.id}/contacts/import`, { method: "POST", headers: { ...headers, "content-type": type }, body });

async function report(body: BodyInit, type: string) {
  const res = await upload(body, type);
  expect(res.status).toBe(200);
  return readJson(res, contactImportReportSchema);
}

const contact = (externalId: string) =>
  env.DB.prepare(
    "SELECT external_id, name, attributes, consent, consent_source, consent_changed_at, timezone FROM contacts WHERE project_id = ? AND external_id = ?",
  )
    .bind(p.id, externalId)
    .first<{
      external_id: string;
      name: string | null;
      attributes: string;
      consent: string | null;
      consent_source: string | null;
      consent_changed_at: number | null;
      timezone: string | null;
    }>();
const contactCount = async () =>
  (await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE project_id = ?").bind(p.id).first<{ n: number }>())!.n;

beforeAll(async () => {
  p = await kenyanProject("import");
});

describe("the streaming CSV parser", () => {
  it("reads quoted commas, doubled quotes and line breaks split across chunks", () => {
    const text = 'phone,name\r\n0712345678,"Otieno, ""Jo""\nNairobi"\r\n+254711111111,Amina\n';
    // Every split point gives the same records.
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new CsvParser();
      const records = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()];
      expect(records, `cut at ${cut}`).toEqual([
        ["phone", "name"],
        ["0712345678", 'Otieno, "Jo"\nNairobi'],
        ["+254711111111", "Amina"],
      ]);
    }
  });
});

describe("POST /contacts/import", () => {
  it("imports CSV rows with the default country, traits and consent, and reports each rejected row", async () => {
    const csv = [
      "phone,bsuid,name,consent,consent_source,consent_at,tier,city",
      '712345678,,"Wanjiru, M.",opted_in,web form,2026-01-10T09:00:00Z,gold,"Nairobi ""CBD"""',
      "+254 700 000 002,,Baraka,,,,silver,",
      "12,,Bad Phone,,,,,",
      ",,No Id,,,,,",
      "0700000003,,Bad Consent,maybe,,,,",
      ",KE.1234567890,Username Only,,,,,",
      "0700000004,,Too,many,fields,,,,,,",
    ].join("\n");
    const r = await report(csv, "text/csv");
    expect(r).toMatchObject({ rows_read: 7, imported: 3, merged: 0, unchanged: 0, rejected: 4 });
    expect(r.rejected_rows.map((x) => x.row)).toEqual([3, 4, 5, 7]);
    expect(r.rejected_rows[0]!.reason).toMatch(/^phone:/);
    expect(r.rejected_rows[1]!.reason).toMatch(/missing id/);
    expect(r.rejected_rows[2]!.reason).toMatch(/^consent\.state:/);
    expect(r.rejected_rows[3]!.reason).toMatch(/fields/);

    const w = await contact("+254712345678");
    expect(w).toMatchObject({
      name: "Wanjiru, M.",
      consent: "opted_in",
      consent_source: "web form",
      consent_changed_at: Date.parse("2026-01-10T09:00:00Z"),
    });
    expect(JSON.parse(w!.attributes)).toEqual({ tier: "gold", city: 'Nairobi "CBD"' });
    expect(await contact("+254700000002")).toMatchObject({ name: "Baraka", consent: null });
    expect(await contact("KE.1234567890")).toMatchObject({ name: "Username Only" });
  });

  it("re-importing the same file changes nothing and reports the rows unchanged", async () => {
    const csv = "phone,name,plan\n0711000001,Achieng,pro\n0711000002,Kamau,free\n";
    const first = await report(csv, "text/csv");
    expect(first).toMatchObject({ rows_read: 2, imported: 2, merged: 0, unchanged: 0, rejected: 0 });
    const before = await env.DB.prepare("SELECT * FROM contacts WHERE project_id = ? ORDER BY external_id").bind(p.id).all();
    const again = await report(csv, "text/csv");
    expect(again).toMatchObject({ rows_read: 2, imported: 0, merged: 0, unchanged: 2, rejected: 0 });
    const after = await env.DB.prepare("SELECT * FROM contacts WHERE project_id = ? ORDER BY external_id").bind(p.id).all();
    expect(after.results).toEqual(before.results);
  });

  it("counts every row once when a phone repeats in the file, and a re-import of it as unchanged", async () => {
    const csv = (city: string) =>
      `phone,name,city\n0712 000 111,Wairimu,\n0712000222,Odhiambo,Kisumu\n0712000333,Chebet,\n+254712000111,,${city}\n`;
    // Rows 1-3 are three new contacts; row 4 is row 1's phone again, merged into it.
    expect(await report(csv("Nakuru"), "text/csv")).toMatchObject({ rows_read: 4, imported: 3, merged: 1, unchanged: 0, rejected: 0 });
    expect(await contact("+254712000111")).toMatchObject({ name: "Wairimu", attributes: '{"city":"Nakuru"}' });
    const before = await env.DB.prepare("SELECT * FROM contacts WHERE project_id = ? ORDER BY external_id").bind(p.id).all();
    // The same file again changes nothing: all four rows unchanged, the repeat too.
    expect(await report(csv("Nakuru"), "text/csv")).toMatchObject({ rows_read: 4, imported: 0, merged: 0, unchanged: 4, rejected: 0 });
    const after = await env.DB.prepare("SELECT * FROM contacts WHERE project_id = ? ORDER BY external_id").bind(p.id).all();
    expect(after.results).toEqual(before.results);
    // Row 4 changes the first contact: its two rows are merged, rows 2 and 3 unchanged.
    expect(await report(csv("Eldoret"), "text/csv")).toMatchObject({ rows_read: 4, imported: 0, merged: 2, unchanged: 2, rejected: 0 });
    expect(await contact("+254712000111")).toMatchObject({ name: "Wairimu", attributes: '{"city":"Eldoret"}' });
  });

  it("counts a repeat in a later batch the same way", async () => {
    // 251 new phones, then the first again: batch 1 is rows 1-250, batch 2 rows 251-252.
    const phones = Array.from({ length: 251 }, (_, i) => `07130${String(i).padStart(5, "0")}`);
    const csv = `phone,plan\n${[...phones, phones[0]].map((ph) => `${ph},basic`).join("\n")}\n`;
    expect(await report(csv, "text/csv")).toMatchObject({ rows_read: 252, imported: 251, merged: 1, unchanged: 0 });
    expect(await report(csv, "text/csv")).toMatchObject({ rows_read: 252, imported: 0, merged: 0, unchanged: 252 });
  });

  it("merges duplicates within the file and already-known ids into one person, linking phone and BSUID", async () => {
    const rows = [
      { phone: "0722000001", name: "Njeri", attributes: { tier: "bronze" } },
      { phone: "+254722000001", attributes: { city: "Mombasa" } },
      { phone: "0722000001", bsuid: "KE.555000111" },
    ];
    const r = await report(JSON.stringify(rows), "application/json");
    expect(r).toMatchObject({ rows_read: 3, imported: 1, merged: 2, rejected: 0 });
    expect(JSON.parse((await contact("+254722000001"))!.attributes)).toEqual({ tier: "bronze", city: "Mombasa" });
    // The BSUID is the phone's person now; a later row with the BSUID alone merges into the phone's contact.
    const ids = await env.DB.prepare(
      "SELECT value, person_id FROM identities WHERE project_id = ? AND value IN ('+254722000001', 'KE.555000111')",
    )
      .bind(p.id)
      .all<{ person_id: string }>();
    expect(ids.results.length).toBe(2);
    expect(new Set(ids.results.map((i) => i.person_id)).size).toBe(1);
    const later = await report('{"bsuid":"KE.555000111","name":"Njeri W."}\n', "application/x-ndjson");
    expect(later).toMatchObject({ rows_read: 1, imported: 0, merged: 1 });
    expect(await contact("+254722000001")).toMatchObject({ name: "Njeri W." });
    expect(await contact("KE.555000111")).toBeNull();
  });

  it("lets a timed opt-out stand against an older list, and an untimed consent only fills a gap", async () => {
    await report(
      JSON.stringify([{ phone: "0733000001", consent: { state: "opted_out", source: "keyword", at: "2026-02-01T00:00:00Z" } }]),
      "application/json",
    );
    await report(
      JSON.stringify([
        { phone: "0733000001", consent: { state: "opted_in", source: "old list" } },
        { phone: "0733000002", consent: { state: "opted_in", source: "old list" } },
      ]),
      "application/json",
    );
    expect(await contact("+254733000001")).toMatchObject({ consent: "opted_out", consent_source: "keyword" });
    expect(await contact("+254733000002")).toMatchObject({ consent: "opted_in", consent_source: "old list" });
    await report(
      JSON.stringify([{ phone: "0733000001", consent: { state: "opted_in", source: "double opt-in", at: "2026-03-01T00:00:00Z" } }]),
      "application/json",
    );
    expect(await contact("+254733000001")).toMatchObject({ consent: "opted_in", consent_source: "double opt-in" });
  });

  it("rejects malformed JSON rows one by one", async () => {
    const ndjson = [
      '{"phone":"0744000001"}',
      "{not json",
      "[1]",
      '{"phone":"0744000002","attributes":{"bad key!":1}}',
      '{"phone":"0744000003","timezone":"Mars/Olympus"}',
    ].join("\n");
    const r = await report(ndjson, "application/x-ndjson");
    expect(r).toMatchObject({ rows_read: 5, imported: 1, rejected: 4 });
    expect(r.rejected_rows.map((x) => x.row)).toEqual([2, 3, 4, 5]);
    expect(r.rejected_rows[3]!.reason).toBe("timezone: an IANA time zone, e.g. Europe/Berlin");
  });

  it("stores a time zone typed in another case under its canonical IANA name", async () => {
    const r = await report('{"phone":"0744000010","timezone":"africa/nairobi"}\n', "application/x-ndjson");
    expect(r).toMatchObject({ imported: 1, rejected: 0 });
    expect((await contact("+254744000010"))!.timezone).toBe("Africa/Nairobi");
  });

  it("rejects a row longer than 64 KiB without holding it, in CSV, NDJSON and a JSON array", async () => {
    const long = "x".repeat(70_000);
    const csv = await report(
      `phone,note\n0766000001,ok\n0766000002,"${long}"\n0766000003,${"a,".repeat(40_000)}\n0766000004,fine\n`,
      "text/csv",
    );
    expect(csv).toMatchObject({ rows_read: 4, imported: 2, rejected: 2 });
    expect(csv.rejected_rows).toEqual([
      { row: 2, reason: expect.stringMatching(/longer than/) },
      { row: 3, reason: expect.stringMatching(/longer than/) },
    ]);
    const nd = await report(
      `{"phone":"0766000005"}\n{"phone":"0766000006","name":"${long}"}\n{"phone":"0766000007"}\n`,
      "application/x-ndjson",
    );
    expect(nd).toMatchObject({ rows_read: 3, imported: 2, rejected: 1 });
    expect(nd.rejected_rows).toEqual([{ row: 2, reason: expect.stringMatching(/longer than/) }]);
    const arr = await report(
      `[{"phone":"0766000008"},{"phone":"0766000009","attributes":{"n":"${long}"}},{"phone":"0766000010"}]`,
      "application/json",
    );
    expect(arr).toMatchObject({ rows_read: 3, imported: 2, rejected: 1 });
    expect(arr.rejected_rows).toEqual([{ row: 2, reason: expect.stringMatching(/longer than/) }]);
  });

  it("answers invalid_import for an unknown content type or a CSV without an id column", async () => {
    for (const res of [await upload("a,b\n1,2\n", "text/plain"), await upload("name,city\nA,B\n", "text/csv")]) {
      expect(res.status).toBe(400);
      expect((await readJson(res, errorSchema)).error).toBe("invalid_import");
    }
    const read = await upload("phone\n0712345678\n", "text/csv", p.read);
    expect(read.status).toBe(403);
  });

  const invalid = async (res: Response) => {
    expect(res.status).toBe(400);
    const e = await readJson(res, errorSchema);
    expect(e.error).toBe("invalid_import");
    return e.message;
  };

  it("answers invalid_import for an empty body, whatever its content type", async () => {
    for (const type of ["text/csv", "application/json", "application/x-ndjson"]) {
      expect(await invalid(await upload("", type)), type).toBe("the body is empty");
      expect(await invalid(await upload("\n\n  \n", type)), type).toBe("the body is empty");
    }
    // A header alone, or an empty array, is a file with no rows.
    expect(await report("phone,name\n", "text/csv")).toMatchObject({ rows_read: 0, imported: 0, truncated: null });
    expect(await report("[]", "application/json")).toMatchObject({ rows_read: 0, imported: 0, truncated: null });
  });

  it("answers invalid_import naming a column the CSV header repeats", async () => {
    expect(await invalid(await upload("phone,phone\n0712000901,0712000902\n", "text/csv"))).toBe(
      'the CSV header repeats the column "phone"',
    );
    // Names match case-insensitively, so "Tier" and "tier" are one column.
    expect(await invalid(await upload("phone,Tier,name,tier\n0712000903,gold,A,silver\n", "text/csv"))).toBe(
      'the CSV header repeats the column "tier"',
    );
    expect(await contact("+254712000901")).toBeNull();
    expect(await contact("+254712000903")).toBeNull();
  });

  it("answers invalid_import when the body's first value is not JSON", async () => {
    // Cut inside the first row: 25 bytes, nothing valid before it.
    expect(await invalid(await upload('[{"phone":"+254712000888"', "application/json"))).toBe(
      "not valid JSON at row 1: the body ends at byte 25, inside this row",
    );
    expect(await invalid(await upload("[", "application/json"))).toBe("not valid JSON at row 1: the body ends at byte 1");
    expect(await invalid(await upload("phone\n0712000889\n", "application/json"))).toMatch(/^not valid JSON at row 1: /);
    expect(await invalid(await upload('{"phone":"0712000890"', "application/x-ndjson"))).toBe(
      "not valid JSON at row 1: the body ends at byte 21, inside this row",
    );
    expect(await contact("+254712000888")).toBeNull();
  });

  it("imports the rows before a JSON file breaks off and says where it ended", async () => {
    // Row 1 is whole (24 bytes with its comma); row 2 breaks off at byte 45.
    const cut = '[{"phone":"0712000891"},{"phone":"0712000892"';
    expect(new TextEncoder().encode(cut).length).toBe(45);
    const r = await report(cut, "application/json");
    expect(r).toMatchObject({
      rows_read: 2,
      imported: 1,
      rejected: 1,
      rejected_rows: [{ row: 2, reason: "not valid JSON: the body ends at byte 45, inside this row" }],
      truncated: { row: 2, byte: 45, reason: "the body ends at byte 45, inside row 2" },
    });
    expect(await contact("+254712000891")).not.toBeNull();
    // Every row whole, but the array never closed: the rows are imported, and the end is reported.
    const open = '[{"phone":"0712000893"},{"phone":"0712000894"}';
    expect(await report(open, "application/json")).toMatchObject({
      rows_read: 2,
      imported: 2,
      rejected: 0,
      truncated: { row: 2, byte: 46, reason: "the body ends at byte 46 before the JSON array is closed, after row 2" },
    });
    // NDJSON whose last line is cut short: 22 bytes and a newline, then 15 bytes of row 2.
    expect(await report('{"phone":"0712000895"}\n{"phone":"07120', "application/x-ndjson")).toMatchObject({
      rows_read: 2,
      imported: 1,
      rejected: 1,
      truncated: { row: 2, byte: 38, reason: "the body ends at byte 38, inside row 2" },
    });
    // A whole file says nothing of the kind.
    expect((await report('[{"phone":"0712000896"}]', "application/json")).truncated).toBeNull();
  });

  it("streams a 20,000-row file in chunks and lists only the first 100 rejections", async () => {
    const big = await kenyanProject("import-big");
    const N = 20_000;
    const encoder = new TextEncoder();
    let i = 0;
    // Generated as the upload reads it: the test never builds the file either.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i === 0) controller.enqueue(encoder.encode("phone,name,segment\r\n"));
        if (i >= N) return controller.close();
        const lines: string[] = [];
        for (let k = 0; k < 1000 && i < N; k++, i++) {
          // Every 150th row has a bad phone; every 10th repeats the row before it.
          const n = i % 10 === 9 ? i - 1 : i;
          lines.push(i % 150 === 149 ? `x${i},Bad,none` : `07${String(100_000_000 + n).slice(1)},"Person ${n}, K",s${n % 7}`);
        }
        controller.enqueue(encoder.encode(lines.join("\r\n") + "\r\n"));
      },
    });
    const res = await SELF.fetch(`${BASE}/api/projects/${big.id}/contacts/import`, {
      method: "POST",
      headers: { ...big.write, "content-type": "text/csv" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(200);
    const r = await readJson(res, contactImportReportSchema);
    let bad = 0;
    let dup = 0;
    for (let k = 0; k < N; k++) {
      if (k % 150 === 149) bad++;
      else if (k % 10 === 9 && (k - 1) % 150 !== 149) dup++;
    }
    expect(r.rows_read, JSON.stringify(r.rejected_rows.slice(0, 3))).toBe(N);
    expect(r.rejected_rows[0], "first").toEqual({ row: 150, reason: expect.stringMatching(/^phone:/) });
    expect(r.rejected).toBe(bad);
    expect(r.rejected_rows.length).toBe(100);
    expect(r.merged).toBe(dup);
    expect(r.imported).toBe(N - bad - dup);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE project_id = ?").bind(big.id).first<{ n: number }>();
    expect(n!.n).toBe(N - bad - dup);
  }, 60_000);
});

describe("erasure", () => {
  it("removes an imported contact's name and traits with the person", async () => {
    await report(JSON.stringify([{ phone: "0755000001", name: "To Erase", attributes: { tier: "gold" } }]), "application/json");
    expect(await contact("+254755000001")).not.toBeNull();
    const before = await contactCount();
    const privacy = await SELF.fetch(`${BASE}/api/projects/${p.id}/tokens`, {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ scope: "privacy", name: "erase" }),
    });
    const { token } = await readJson(privacy, projectTokenCreatedSchema);
    const res = await SELF.fetch(`${BASE}/api/projects/${p.id}/people?external_id=%2B254755000001`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(await contact("+254755000001")).toBeNull();
    expect(await contactCount()).toBe(before - 1);
  });
});
