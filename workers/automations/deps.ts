import type { SegmentDefinition } from "../contract";

/**
 * What automations read of segments, supplied by the Worker entry (workers/index.ts): a feature
 * never imports another feature, and the Workflow class is built by the runtime, not by a caller.
 */
export interface SegmentReader {
  definition(db: D1Database, projectId: string, segmentId: string): Promise<SegmentDefinition | null>;
  isMember(db: D1Database, projectId: string, def: SegmentDefinition, personId: string): Promise<boolean>;
  count(db: D1Database, projectId: string, def: SegmentDefinition): Promise<number>;
  /** Members after `after` in person_id order. */
  page(db: D1Database, projectId: string, def: SegmentDefinition, after: string, limit: number): Promise<{ person_id: string }[]>;
}

let reader: SegmentReader | null = null;

/** Called once by the Worker entry. */
export function useSegments(r: SegmentReader): void {
  reader = r;
}

/** The configured reader; throws when the entry never supplied one (a wiring bug, not a no-op). */
export function segments(): SegmentReader {
  if (!reader) throw new Error("automations: no segment reader configured (workers/index.ts calls useSegments)");
  return reader;
}
