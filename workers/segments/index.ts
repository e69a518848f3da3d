/** Segments: saved definitions over people (both channels, through identity links), evaluated in D1. */
export { segmentsApi } from "./api";
export { countMembers, isMember, memberPage } from "./members";
export { getSegment } from "./store";
