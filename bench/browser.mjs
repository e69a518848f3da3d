// The dashboard at volume, in real headless Chromium against the local stack on the million-event
// database: time from navigation to the first chart on screen, per page, and the bundle's size.
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { launchChromium } from "../scripts/chromium.mjs";
import { median, record, round, storedEvents } from "./lib.mjs";
import { millionStack } from "./dashboard.mjs";

/**
 * What "first chart" means per page: a chart canvas with drawn pixels (Chart.js draws axes and data
 * in the same frame, once the panel's answer is in), or, for Agents, which has no chart, the first
 * row of its agents table.
 */
const PAGES = [
  { name: "overview", what: "chart", selector: "[data-page=overview] canvas" },
  { name: "funnels", what: "chart", selector: "[data-funnel-result] canvas" },
  { name: "whatsapp", what: "chart", selector: "[data-page=whatsapp] canvas" },
  { name: "agents", what: "table row", selector: "[data-agents] tbody tr" },
];

/**
 * Runs in the page before its scripts: every animation frame, looks for the first element matching
 * `selector` that is painted (a canvas: any pixel with alpha; anything else: present with a size)
 * and records `performance.now()` (milliseconds since navigation start) when it first is.
 */
function watchFirstPaint({ selector, token }) {
  localStorage.setItem("junction.token", token);
  localStorage.setItem("junction.project", "demo");
  window.__firstPaint = null;
  const painted = (el) => {
    if (!(el instanceof HTMLCanvasElement)) return el.getBoundingClientRect().height > 0;
    if (!el.width || !el.height) return false;
    const data = el.getContext("2d").getImageData(0, 0, el.width, el.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i]) return true;
    return false;
  };
  const check = () => {
    for (const el of document.querySelectorAll(selector)) {
      if (painted(el)) {
        window.__firstPaint = performance.now();
        return;
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/** Bytes a first visit downloads for the dashboard (index.html and every built asset): raw and gzip -9. */
export function bundleSize(dir = "dist") {
  const files = [
    "index.html",
    ...readdirSync(`${dir}/assets`)
      .filter((f) => /\.(js|css)$/.test(f))
      .map((f) => `assets/${f}`),
  ];
  let raw = 0,
    gzip = 0;
  const each = {};
  for (const f of files) {
    const body = readFileSync(`${dir}/${f}`);
    const z = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gzip += z;
    each[f.replace(/-[A-Za-z0-9_-]{8}\./, ".")] = { raw: body.length, gzip: z };
  }
  return { raw, gzip, files: each };
}

/** Median first-paint time of each page over `loads` cold loads (a fresh browser context each: no cache). */
export async function benchDashboard({ loads = 5, timeoutMs = 60_000 } = {}) {
  const stack = await millionStack(8796);
  const browser = await launchChromium();
  const out = {
    command: "npm run bench -- dashboard",
    events_in_db: await storedEvents(stack.url, "demo"),
    loads,
    viewport: "1280×900",
    pages: {},
  };
  try {
    for (const p of PAGES) {
      const times = [];
      // One load first, so the Worker and D1 are warm as they are for a dashboard in use.
      for (let i = 0; i <= loads; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await context.addInitScript(watchFirstPaint, { selector: p.selector, token: "dev-admin-token" });
        const page = await context.newPage();
        await page.goto(`${stack.url}/#/${p.name}?project=demo&range=30d&tz=UTC`);
        const ms = await (await page.waitForFunction(() => window.__firstPaint, null, { timeout: timeoutMs, polling: 50 })).jsonValue();
        if (i) times.push(ms);
        await context.close();
      }
      out.pages[p.name] = { first: p.what, p50_ms: round(median(times)), max_ms: round(Math.max(...times)) };
      console.log(`  ${p.name}: first ${p.what} ${out.pages[p.name].p50_ms} ms`);
    }
  } finally {
    await browser.close();
    stack.stop();
  }
  out.bundle = bundleSize();
  console.log(`  bundle ${out.bundle.raw} B raw, ${out.bundle.gzip} B gzip`);
  record("dashboard", out);
  return out;
}
