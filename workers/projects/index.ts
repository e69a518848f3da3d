/** Projects: creation and update of projects, their scoped tokens and share links (admin). */
export { adminApi as projectsApi } from "./api";
export { tokensApi } from "./tokens-api";
export { businessHoursApi } from "./business-hours-api";
