export { ConversationDO } from "./conversation";
export { HandshakeDO } from "./handshake";
export { LiveDO } from "./live";
export { UniquesDO } from "./uniques";
