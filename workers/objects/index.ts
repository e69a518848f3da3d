// The Durable Object classes the Worker entry must export; each lives in its feature's folder.
export { ConversationDO } from "../conversations";
export { HandshakeDO } from "../identity";
export { LiveDO } from "../live";
export { UniquesDO } from "../rollups";
