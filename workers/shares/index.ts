/** Share links: signed-in admins hand out read-only, revocable links to one project's dashboard. */
export { sharesApi } from "./api";
