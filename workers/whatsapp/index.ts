/** WhatsApp metrics: volume, growth, response times, delivery and peak hours. */
export { whatsappApi } from "./api";
export { firstContactMoves, firstContactStatement } from "./writer";
