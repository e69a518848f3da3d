import type { SlaPolicyOut } from "../contract";
import { BoundedCache } from "../lib/cache";
import type { SlaPolicy } from "./sla";

export type PolicyRow = {
  id: string;
  name: string;
  label: string | null;
  priority: string | null;
  first_response_s: number | null;
  resolution_s: number | null;
  business_hours: number;
  created_at: number;
  updated_at: number;
};

export const POLICY_COLUMNS = "id, name, label, priority, first_response_s, resolution_s, business_hours, created_at, updated_at";

/** A stored policy as the API shows it. */
export const policyOut = (r: PolicyRow): SlaPolicyOut => ({
  id: r.id,
  name: r.name,
  label: r.label,
  priority: r.priority,
  first_response_s: r.first_response_s,
  resolution_s: r.resolution_s,
  business_hours: r.business_hours === 1,
  created_at: new Date(r.created_at).toISOString(),
  updated_at: new Date(r.updated_at).toISOString(),
});

// Every fold of a conversation reads its project's policies: cached per isolate like projects (lib/projects.ts).
const cache = new BoundedCache<string, SlaPolicy[]>(1_000, 10_000);

/** The project's policies in creation order, as the Durable Object applies them (cached 10 s per isolate). */
export async function activePolicies(db: D1Database, project: string): Promise<SlaPolicy[]> {
  const hit = cache.get(project);
  if (hit) return hit;
  const { results } = await db
    .prepare(`SELECT ${POLICY_COLUMNS} FROM sla_policies WHERE project_id = ? ORDER BY created_at, id`)
    .bind(project)
    .all<PolicyRow>();
  const policies = results.map((r) => ({
    id: r.id,
    label: r.label,
    priority: r.priority,
    business_hours: r.business_hours === 1,
    changed_at: r.updated_at,
    first_response_ms: r.first_response_s === null ? null : r.first_response_s * 1000,
    resolution_ms: r.resolution_s === null ? null : r.resolution_s * 1000,
  }));
  cache.set(project, policies);
  return policies;
}

/** Forgets cached policies (after a change through the API). */
export function forgetPolicies(): void {
  cache.clear();
}
