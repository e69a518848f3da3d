/** People: erasure of one person across channels (docs/privacy.md). */
export { peopleApi } from "./api";
