import { figure } from "../../components/table";
import type { CsatReport } from "../../lib/engage-types";
import { num } from "../../lib/format";
import { rate } from "./support.data";

/** The headings of the CSAT figures, after the column that names the group. */
export const CSAT_COLUMNS = [figure("Responses"), figure("Average"), figure("Satisfied")];

/** One group's CSAT figures (docs/support-metrics.md): responses, average score, satisfied share. */
export const csatCells = (g: CsatReport["overall"]) => (
  <>
    <td class="num">{num(g.responses)}</td>
    <td class="num">{g.average === null ? "—" : g.average.toFixed(2)}</td>
    <td class="num">{rate(g.satisfied_rate)}</td>
  </>
);
