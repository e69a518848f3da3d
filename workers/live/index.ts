/** Live view: active visitors and open conversations over hibernating WebSockets (LiveDO). */
export { liveApi, liveTokenFromQuery } from "./api";
export { notifyLive } from "./notify";
export { LiveDO } from "./object";
