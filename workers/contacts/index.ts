/** Contacts: each WhatsApp contact's first/last seen time and consent. */
export { contactStatements } from "./writer";
