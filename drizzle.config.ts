import { defineConfig } from "drizzle-kit";

// Migrations are generated here and applied by `wrangler d1 migrations apply` (same folder).
export default defineConfig({
  dialect: "sqlite",
  schema: "./workers/lib/db/schema*.ts",
  out: "./migrations",
});
