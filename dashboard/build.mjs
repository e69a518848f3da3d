// Builds the dashboard into dist/ (index.html + assets/) without touching the tracker files there.
import { build } from "vite";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));
// Only our own previous output goes: hashed assets would otherwise pile up across builds.
rmSync(fileURLToPath(new URL("../dist/assets", import.meta.url)), { recursive: true, force: true });
await build({ root, configFile: fileURLToPath(new URL("vite.config.ts", import.meta.url)), logLevel: "warn" });
console.log("dashboard → dist/index.html, dist/assets/");
