import { inject, describe, expect, it } from "vitest";

describe("local stack", () => {
  it("serves /health from wrangler dev", async () => {
    const res = await fetch(`${inject("baseUrl")}/health`);
    expect(await res.json()).toEqual({ ok: true });
  });
});
