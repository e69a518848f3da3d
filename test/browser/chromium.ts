import type { Browser } from "playwright-core";
// @ts-expect-error plain ESM script shared with `npm run bench`
import { launchChromium } from "../../scripts/chromium.mjs";

/** Debian's Chromium, headless, launched as the dashboard benchmark launches it. */
export function launch(): Promise<Browser> {
  return launchChromium();
}
