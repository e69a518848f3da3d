import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { projects } from "../db/schema";

export interface Project {
  id: string;
  name: string;
  allowedOrigins: string[];
  readTokenHash: string | null;
  whatsappAccounts: string[];
}

// Projects change rarely and /capture is hot: cache per isolate for a minute.
const TTL_MS = 60_000;
const cache = new Map<string, { at: number; project: Project | null }>();

/** Loads a project by id (cached), or null when it does not exist. */
export async function getProject(db: D1Database, id: string): Promise<Project | null> {
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.project;
  const row = await drizzle(db).select().from(projects).where(eq(projects.id, id)).get();
  const project = row
    ? {
        id: row.id,
        name: row.name,
        allowedOrigins: JSON.parse(row.allowedOrigins) as string[],
        readTokenHash: row.readTokenHash,
        whatsappAccounts: JSON.parse(row.whatsappAccounts) as string[],
      }
    : null;
  cache.set(id, { at: Date.now(), project });
  return project;
}

/** Forgets cached projects (after an admin change). */
export function forgetProjects(): void {
  cache.clear();
}

/** True when a browser origin may send events to the project; requests without Origin (servers, beacons from the same site) pass. */
export function originAllowed(project: Project, origin: string | undefined): boolean {
  if (!origin) return true;
  return project.allowedOrigins.includes("*") || project.allowedOrigins.includes(origin);
}
