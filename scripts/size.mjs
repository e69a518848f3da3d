// Size of the script-tag tracker as visitors download it: raw, gzip -9 and brotli (max quality).
import { existsSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = `${root}dist/sdk.js`;

/** Byte sizes of dist/sdk.js (built first when missing): `{ raw, gzip, brotli }`. */
export function sizeReport() {
  if (!existsSync(bundle)) execFileSync(process.execPath, [`${root}sdk/build.mjs`], { stdio: "inherit" });
  const code = readFileSync(bundle);
  return {
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { raw, gzip, brotli } = sizeReport();
  console.log(`dist/sdk.js  raw ${raw} B  gzip-9 ${gzip} B  brotli ${brotli} B  (budget 1800 B gzip)`);
}
