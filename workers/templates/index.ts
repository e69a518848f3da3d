/** Templates: a registry of the provider templates campaigns and automations send (workers/lib/send renders them). */
export { templatesApi } from "./api";
