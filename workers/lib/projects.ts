import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { BoundedCache } from "./cache";
import { projects } from "./db/schema";
import { businessHoursSchema, type BusinessHours } from "../contract/business-hours";

export interface Project {
  id: string;
  name: string;
  allowedOrigins: string[];
  readTokenHash: string | null;
  whatsappAccounts: string[];
  /** Country of national phone numbers typed without country code (workers/lib/phone.ts); null: none. */
  defaultCountry: string | null;
  /** Grace window after a resolution in which a short customer follow-up does not reopen (ms). */
  followUpGraceMs: number;
  /** The project's own hostnames (lowercase): referrers from them are internal. */
  internalHosts: string[];
  /** Business hours durations and SLA targets are measured in; null: every hour counts. */
  businessHours: BusinessHours | null;
}

/** Default grace window for customer follow-ups after a resolution. */
export const DEFAULT_FOLLOW_UP_GRACE_SECONDS = 600;

/**
 * Projects change rarely and /capture is hot, so lookups (misses included) are cached per isolate:
 * at most 1,000 projects for 10 s. An admin change is seen by the isolate that made it at once
 * (`forgetProjects`) and by every other isolate within 10 s.
 */
export const PROJECT_CACHE_TTL_MS = 10_000;
const cache = new BoundedCache<string, Project | null>(1_000, PROJECT_CACHE_TTL_MS);

/** Loads a project by id (cached), or null when it does not exist. */
export async function getProject(db: D1Database, id: string): Promise<Project | null> {
  if (cache.has(id)) return cache.get(id) ?? null;
  const row = await drizzle(db).select().from(projects).where(eq(projects.id, id)).get();
  const project = row
    ? {
        id: row.id,
        name: row.name,
        allowedOrigins: JSON.parse(row.allowedOrigins) as string[],
        readTokenHash: row.readTokenHash,
        whatsappAccounts: JSON.parse(row.whatsappAccounts) as string[],
        defaultCountry: row.defaultCountry ?? null,
        followUpGraceMs: (row.followUpGraceSeconds ?? DEFAULT_FOLLOW_UP_GRACE_SECONDS) * 1000,
        internalHosts: (JSON.parse(row.internalHosts ?? "[]") as string[]).map((h) => h.toLowerCase()),
        businessHours: parseBusinessHours(row.businessHours),
      }
    : null;
  cache.set(id, project);
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

/** A stored schedule; one that no longer validates (an unknown zone after a runtime update) counts as none. */
function parseBusinessHours(json: string | null): BusinessHours | null {
  if (!json) return null;
  try {
    const parsed = businessHoursSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
