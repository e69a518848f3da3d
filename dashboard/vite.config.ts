import { defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

// The dashboard is built into the Worker's static assets (../dist) next to the tracker, which the
// SDK build writes first, so the output directory must not be emptied.
export default defineConfig({
  root: here,
  base: "./",
  // `JUNCTION_API_URL` (read at build time) points a dashboard hosted elsewhere at the Worker's origin.
  envPrefix: ["VITE_", "JUNCTION_"],
  plugins: [solid()],
  build: {
    outDir: "../dist",
    emptyOutDir: false,
    assetsDir: "assets",
    chunkSizeWarningLimit: 400,
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: { proxy: { "/api": { target: "http://127.0.0.1:8787", ws: true } } },
});
