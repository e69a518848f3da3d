// Builds what the Worker serves as static assets into dist/: the dashboard and the tracker.
import { mkdirSync, existsSync } from "node:fs";
import { execSync } from "node:child_process";

mkdirSync("dist", { recursive: true });
for (const step of ["sdk/build.mjs", "dashboard/build.mjs"]) {
  if (existsSync(step)) execSync(`node ${step}`, { stdio: "inherit" });
}
