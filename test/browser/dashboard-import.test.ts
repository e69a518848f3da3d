import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { randomUUID } from "node:crypto";
import { launch } from "./chromium";
import { api, base, settled, signedIn, writeToken } from "./dashboard-helpers";

let browser: Browser;
let project: string;
let readToken: string;
beforeAll(async () => {
  browser = await launch();
  project = `import-${randomUUID().slice(0, 8)}`;
  ({ read_token: readToken } = await api("/api/projects", { method: "POST", body: JSON.stringify({ id: project, name: "Import views" }) }));
});
afterAll(() => browser?.close());

const stat = (id: string) => `[data-panel=import-report] [data-stat=${id}] .stat-value`;

describe("contacts import page", () => {
  it("uploads a CSV and shows its report: rows read, imported, merged and the bad row with its reason", async () => {
    const context = await signedIn(browser, await writeToken(project), project);
    const page = await context.newPage();
    await page.goto(`${base()}/#/import?project=${project}`);
    await settled(page, "import");
    // Row 2 has no phone and no BSUID; row 3 is row 1's number written another way.
    const csv = "phone,name,tier\n+254712345678,Amina,gold\n,Nobody,silver\n+254 712 345 678,Amina W.,gold\n+254733000111,Brian,\n";
    await page.setInputFiles("input[name=contacts-file]", { name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.click("button[type=submit]");
    await page.locator(stat("rows_read")).waitFor();
    const shown = Object.fromEntries(
      await Promise.all(["rows_read", "imported", "merged", "rejected"].map(async (id) => [id, Number(await page.textContent(stat(id)))])),
    );
    expect(shown).toEqual({ rows_read: 4, imported: 2, merged: 1, rejected: 1 });
    const rejected = page.locator("[data-rejected] tbody tr");
    expect(await rejected.count()).toBe(1);
    expect(await rejected.first().getAttribute("data-row")).toBe("2");
    expect((await rejected.first().locator("td").nth(1).textContent())!.length).toBeGreaterThan(0);
    // The report is the API's: the contacts are there.
    const people = await api(`/api/projects/${project}/segments/preview`, {
      method: "POST",
      body: JSON.stringify({ conditions: [{ type: "reachable", value: true }] }),
    });
    expect(people.count).toBe(2);
    await context.close();
  }, 90_000);

  it("offers a read token no upload", async () => {
    const context = await signedIn(browser, readToken, project);
    const page = await context.newPage();
    await page.goto(`${base()}/#/import?project=${project}`);
    await page.locator("[data-page=import][data-access=read]").waitFor();
    expect(await page.locator("input[name=contacts-file]").count()).toBe(0);
    await context.close();
  }, 60_000);
});
