import type { z } from "zod";
import type { propertyFilterSchema } from "../contract";

type Filter = z.infer<typeof propertyFilterSchema>;

/** One property filter against an event's properties, with the segment compiler's semantics. */
function passes(props: Record<string, unknown>, f: Filter): boolean {
  const v = props[f.property];
  const present = v !== undefined && v !== null;
  switch (f.op) {
    case "exists":
      return present;
    case "not_exists":
      return !present;
    case "contains":
      return (
        present &&
        String(typeof v === "object" ? JSON.stringify(v) : v)
          .toLowerCase()
          .includes(String(f.value).toLowerCase())
      );
    case "eq":
      return (
        present &&
        (typeof f.value === "string" ? String(v) === f.value : v === f.value || (typeof f.value === "boolean" && v === Number(f.value)))
      );
    case "neq":
      return !present || (typeof f.value === "string" ? String(v) !== f.value : v !== f.value);
    default: {
      if (!present) return false;
      const a = typeof v === "number" ? v : Number(v);
      const b = Number(f.value);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return f.op === "gt" ? a > b : f.op === "gte" ? a >= b : f.op === "lt" ? a < b : a <= b;
    }
  }
}

/** True when every filter holds. */
export const matches = (props: Record<string, unknown>, where: Filter[] | undefined) => (where ?? []).every((f) => passes(props, f));
