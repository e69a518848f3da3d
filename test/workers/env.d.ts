import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}

/** Vite's `?raw` imports: a file's text, read when the test is bundled (workerd has no file system). */
declare module "*?raw" {
  const text: string;
  export default text;
}
