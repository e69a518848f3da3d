/** Contacts: each WhatsApp contact's first/last seen time and consent, and contact imports. */
export { contactsApi } from "./import-api";
export { contactStatements } from "./writer";
