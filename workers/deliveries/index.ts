/** Webhook deliveries: the audit trail of every authentic webhook and what it produced. */
export { deliveriesApi, unmappedDeliveriesApi } from "./api";
export { deliveryStatements } from "./writer";
