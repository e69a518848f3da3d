/** WhatsApp metrics: volume, growth, response times, delivery and peak hours. */
export { whatsappApi } from "./api";
export { firstContactStatements } from "./writer";
