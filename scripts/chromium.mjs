import { chromium } from "playwright-core";

/**
 * Debian's Chromium, headless, with the flags this network-less machine needs: the browser tests
 * and the dashboard benchmark launch it the same way. CHROMIUM_PATH overrides where it lives.
 * @returns {Promise<import("playwright-core").Browser>}
 */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}
