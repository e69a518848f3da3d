import { createResource } from "solid-js";
import { getJson, postJson, projectUrl, request } from "../../lib/api";
import { project } from "../../lib/session";
import type { ShareCreated, Shares } from "../../lib/types";

/** The project's share links, newest first, revoked ones included; asked only when `allowed` (the admin token). */
export function loadShares(allowed: () => boolean) {
  return createResource(
    () => allowed() && project(),
    async () => (await getJson<Shares>("/shares")).shares,
  );
}

/** Creates a read-only link, optionally pinned to a view (a `#/…` hash); its URL is shown this once. */
export const createShare = (name: string, view: string | null) => postJson<ShareCreated>("/shares", { name, ...(view ? { view } : {}) });

/** Revokes a link: it answers 401 from then on. */
export const revokeShare = (id: string) => request(projectUrl(`/shares/${encodeURIComponent(id)}`), { method: "DELETE" });
