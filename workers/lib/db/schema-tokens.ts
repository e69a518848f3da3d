import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Scoped API tokens of a project (migrations/0011_project_tokens.sql); only hashes are stored. */
export const projectTokens = sqliteTable(
  "project_tokens",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    scope: text("scope", { enum: ["read", "write", "bot", "privacy", "share"] }).notNull(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** For share links: the dashboard view (URL hash) the link opens, or null for any view. */
    view: text("view"),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("project_tokens_hash").on(t.tokenHash), index("project_tokens_project").on(t.projectId, t.createdAt)],
);
