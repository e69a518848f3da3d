import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, BASE, readJson } from "./helpers";
import { crmResponseSchema, errorSchema, handshakeIssuedSchema, projectCreatedSchema, projectSettingsSchema } from "../../workers/contract";
import { parsePhone } from "../../workers/lib/phone";
import { postCrm } from "./webhooks-helpers";

// [typed, project default country, expected E.164 or null when it must be refused]
const CASES: [string, string | null, string | null][] = [
  ["712345678", "KE", "+254712345678"],
  ["0712 345 678", "KE", "+254712345678"],
  ["+254 712 345 678", "KE", "+254712345678"],
  ["00254712345678", "KE", "+254712345678"],
  ["254712345678", "KE", "+254712345678"],
  ["+14155550123", "KE", "+14155550123"],
  ["(415) 555-0123", "US", "+14155550123"],
  ["415.555.0123", "US", "+14155550123"],
  ["14155550123", null, "+14155550123"],
  ["11 98765-4321", "BR", "+5511987654321"],
  ["whatsapp:+5511987654321", null, "+5511987654321"],
  ["07700 900123", "GB", null],
  // Never `+712345678`: without a country it has no country code to read.
  ["712345678", null, null],
  ["12", "KE", null],
  ["+12345", null, null],
  ["call me", "KE", null],
  ["", "KE", null],
  ["7123456789012345678", "KE", null],
];

describe("parsePhone (libphonenumber-js, min metadata, inside workerd)", () => {
  it.each(CASES)("%j with default country %s → %s", (typed, country, want) => {
    const got = parsePhone(typed, country);
    if (want === null) {
      expect(got.ok).toBe(false);
      if (!got.ok) expect(got.error.length).toBeGreaterThan(10);
    } else expect(got).toEqual({ ok: true, e164: want });
  });
});

const P = "phone-ke";
const WRITE_ADMIN = { ...ADMIN, "content-type": "application/json" };

async function project(body: Record<string, unknown>) {
  return SELF.fetch(`${BASE}/api/projects`, { method: "POST", headers: WRITE_ADMIN, body: JSON.stringify(body) });
}

function issue(body: unknown) {
  return SELF.fetch(`${BASE}/api/handshakes`, { method: "POST", headers: WRITE_ADMIN, body: JSON.stringify(body) });
}

describe("typed phones through HTTP, with the project's default_country", () => {
  beforeAll(async () => {
    const created = await readJson(await project({ id: P, name: "Kenya shop", default_country: "ke" }), projectCreatedSchema);
    expect(created.default_country).toBe("KE");
  });

  it("refuses a default_country that is not a country with a numbering plan", async () => {
    for (const bad of ["XX", "Kenya", "1"]) {
      const res = await project({ id: "phone-bad", name: "x", default_country: bad });
      expect(res.status).toBe(400);
      expect((await readJson(res, errorSchema)).error).toBe("invalid_project");
    }
  });

  it.each(CASES.filter(([, c]) => c === "KE" || c === null))("handshake external_id %j (project KE)", async (typed, country, want) => {
    // Cases without a default country are read in KE here, so only those KE can decide are asserted.
    const res = await issue({ project: P, external_id: typed });
    const expected = country === null ? parsePhone(typed, "KE") : want === null ? { ok: false } : { ok: true, e164: want };
    if (!expected.ok) {
      expect(res.status).toBe(400);
      const body = await readJson(res, errorSchema);
      expect(body.error).toBe("invalid_handshake");
      expect(JSON.stringify(body)).toContain("external_id");
    } else {
      expect(res.status).toBe(201);
      const body = await readJson(res, handshakeIssuedSchema);
      expect(body.external_id).toBe((expected as { e164: string }).e164);
      expect(body.conversation_id).toBe(`wa:${P}:${body.external_id}`);
    }
  });

  it("reads a national number in the project's country in the CRM webhook, and rejects an unparseable one by index", async () => {
    const at = new Date().toISOString();
    const res = await postCrm({
      project: P,
      events: [
        { id: crypto.randomUUID(), type: "webview_opened", occurred_at: at, phone: "0712 345 678" },
        { id: crypto.randomUUID(), type: "webview_opened", occurred_at: at, phone: "12" },
      ],
    });
    expect(res.status).toBe(202);
    const body = await readJson(res, crmResponseSchema);
    expect(body.accepted).toBe(1);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0].index).toBe(1);
    expect(body.rejected[0].error).toContain("phone");
  });

  it("changes default_country with PATCH, and reads typed numbers in the new country", async () => {
    const id = "phone-patch";
    await readJson(await project({ id, name: "Moving shop" }), projectCreatedSchema);
    const patch = (body: unknown) =>
      SELF.fetch(`${BASE}/api/projects/${id}`, { method: "PATCH", headers: WRITE_ADMIN, body: JSON.stringify(body) });
    expect((await issue({ project: id, external_id: "0712 345 678" })).status).toBe(400);
    expect(await readJson(await patch({ default_country: "KE" }), projectSettingsSchema)).toMatchObject({ id, default_country: "KE" });
    expect(await readJson(await issue({ project: id, external_id: "0712 345 678" }), handshakeIssuedSchema)).toMatchObject({
      external_id: "+254712345678",
    });
    expect((await readJson(await patch({ default_country: "Narnia" }), errorSchema)).error).toBe("invalid_project");
    expect(await readJson(await patch({ default_country: null }), projectSettingsSchema)).toMatchObject({ default_country: null });
    expect((await issue({ project: id, external_id: "0712 345 678" })).status).toBe(400);
  });

  it("answers 400 no_valid_events when the only phone has no country code and the project has none", async () => {
    const res = await postCrm({
      events: [{ id: crypto.randomUUID(), type: "webview_opened", occurred_at: new Date().toISOString(), phone: "712345678" }],
    });
    expect(res.status).toBe(400);
    const body = await readJson(res, errorSchema);
    expect(body.error).toBe("no_valid_events");
    expect(JSON.stringify(body)).toContain("country code");
  });
});
