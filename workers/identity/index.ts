/** Identity: links between web and WhatsApp ids, handshake tokens (HandshakeDO) and the person timeline. */
export { eraseHandshake } from "./erase";
export { HandshakeDO } from "./handshake-object";
export { handshakesApi, handshakeStatsApi } from "./handshakes-api";
export { linkIdentifiedVisitors } from "./identify";
export { identityLinkStatements } from "./links";
export { redeemHandshakes } from "./redeem";
export { timelineApi } from "./timeline-api";
