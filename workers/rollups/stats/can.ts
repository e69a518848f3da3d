import { onlyChannelFilters, onQuarter, type Filters } from "../../lib/filters";
import { FILTER_DIMENSIONS, type FilterDimension } from "../dimensions";

const aligned = (f: Filters) => onQuarter(f.from) && onQuarter(f.to);

/** True when rollups answer `f` exactly: channel/bot filters only, range on 15-minute boundaries. */
export const rollupsCan = (f: Filters) => onlyChannelFilters(f) && aligned(f);

/** The one rollup-kept filter of `f` (country, device, UTM source/medium/campaign, page), if any. */
export function rollupFilter(f: Filters): { dim: FilterDimension; value: string } | null {
  const dims = FILTER_DIMENSIONS.filter((d) => f.eq[d] !== undefined);
  return dims.length === 1 ? { dim: dims[0], value: f.eq[dims[0]]! } : null;
}

/**
 * True when rollups answer an overview (totals, series) exactly: channel/bot filters plus at most one
 * of FILTER_DIMENSIONS, over a 15-minute-aligned range.
 */
export function rollupsCanOverview(f: Filters): boolean {
  if (!aligned(f) || Object.keys(f.props).length) return false;
  const others = Object.keys(f.eq).filter((k) => k !== "channel_type");
  return others.length === 0 || (others.length === 1 && rollupFilter(f) !== null);
}
