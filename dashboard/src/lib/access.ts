import { createResource, createRoot } from "solid-js";
import { ApiError, projectUrl, request } from "./api";
import { project, readOnly, token } from "./session";

/**
 * Whether the signed-in token may change things (a `write` or the admin token). The API has no
 * "who am I" route, so this asks for a change that cannot happen: deleting a segment id no one
 * can have. A token that may write gets 404; a read token gets 403 from the scope check, which
 * runs before the route.
 */
const [writable] = createRoot(() =>
  createResource(
    () => !readOnly() && token() && { project: project(), token: token() },
    async () => {
      try {
        await request(projectUrl("/segments/-scope-check-"), { method: "DELETE" });
        return true;
      } catch (err) {
        return err instanceof ApiError && err.status === 404;
      }
    },
  ),
);

/** True once the token is known to allow write actions; read tokens see read-only views. */
export const canWrite = () => writable.state === "ready" && writable() === true;

/** `write`, `read` or `unknown` (still asking): pages carry it as `data-access`. */
export const access = () => (writable.state !== "ready" ? "unknown" : writable() ? "write" : "read");

/**
 * Whether the signed-in token is the admin token (share links need it). Asked the same way: revoking
 * a share link no one can have answers 404 to the admin token and 403 to every project token.
 */
const [admin] = createRoot(() =>
  createResource(
    () => !readOnly() && token() && { project: project(), token: token() },
    async () => {
      try {
        await request(projectUrl("/shares/-scope-check-"), { method: "DELETE" });
        return true;
      } catch (err) {
        return err instanceof ApiError && err.status === 404;
      }
    },
  ),
);

/** True once the token is known to be the admin token. */
export const canAdmin = () => admin.state === "ready" && admin() === true;

/** `admin`, `other` or `unknown` (still asking): the share-link page carries it as `data-access`. */
export const adminAccess = () => (admin.state !== "ready" ? "unknown" : admin() ? "admin" : "other");
