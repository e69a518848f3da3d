// Builds the tracker into dist/: sdk.js (script tag, IIFE) and sdk.mjs (ESM), minified, and the
// demo host page into dist/demo/. Called by scripts/build.mjs.
import { build } from "esbuild";
import { cpSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const common = {
  bundle: true,
  minify: true,
  target: "es2021",
  legalComments: "none",
  logLevel: "warning",
  absWorkingDir: root,
  // No "use strict" prologue: the bundle is strict-safe already and every byte counts.
  tsconfigRaw: {},
};

await build({ ...common, entryPoints: ["sdk/src/script.ts"], format: "iife", outfile: "dist/sdk.js" });
await build({ ...common, entryPoints: ["sdk/src/index.ts"], format: "esm", outfile: "dist/sdk.mjs" });
cpSync(`${root}sdk/demo`, `${root}dist/demo`, { recursive: true });
