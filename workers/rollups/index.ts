/** Rollups: pre-aggregated counts, distinct-count sketches (UniquesDO) and the stats API that reads them. */
export { UniquesDO } from "./object";
export { sketchesApi } from "./sketches-api";
export { statsApi } from "./stats/api";
export { drilldownApi } from "./stats/drilldown-api";
export { addUniques } from "./uniques";
export { retimeStatement, rollupStatements } from "./writer";
