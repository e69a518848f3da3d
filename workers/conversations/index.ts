/** Conversations: each WhatsApp conversation's state machine (ConversationDO), its D1 summary, agent metrics and export. */
export { agentsApi } from "./agents-api";
export { eraseConversation } from "./erase";
export { conversationsExport } from "./export-api";
export { conversationsApi } from "./list-api";
export { feedConversations } from "./feed";
export { ConversationDO } from "./object";
export { slaApi } from "./sla-api";
export { summaryStatements } from "./writer";
export { agentStatusStatements } from "./availability";
export { availabilityApi } from "./availability-api";
export { csatFromReplies, csatStatements } from "./csat";
export { csatApi } from "./csat-api";
