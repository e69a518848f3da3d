// The zone arithmetic the Worker uses, so a view's local days are the API's local days.
export { addDays, daysBetween, isDate, isTimeZone, localDate, localMidnight } from "../../../workers/contract/zone";
