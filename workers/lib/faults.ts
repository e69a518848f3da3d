/**
 * Fault injection for the consumer's D1 writes, to prove that acknowledged events end stored or
 * dead-lettered, never lost or doubled. Off unless the `FAULTS` binding is set, which only the
 * tests and `npm run bench` do: wrangler.toml never declares it, and no request can set it.
 * `{"d1_write_fail_rate": 0.1}` fails one write in ten; `{"d1_write_fail_until": <epoch ms>}`
 * fails every write until then.
 */
type FaultPlan = { d1_write_fail_rate?: number; d1_write_fail_until?: number };

function plan(env: Cloudflare.Env): FaultPlan | null {
  const raw = (env as { FAULTS?: unknown }).FAULTS;
  if (typeof raw !== "string" || !raw) return null;
  try {
    return JSON.parse(raw) as FaultPlan;
  } catch {
    throw new Error("FAULTS must be JSON");
  }
}

function shouldFail(p: FaultPlan): boolean {
  if (p.d1_write_fail_until && Date.now() < p.d1_write_fail_until) return true;
  return !!p.d1_write_fail_rate && Math.random() < p.d1_write_fail_rate;
}

/** The consumer's D1: `env.DB` itself, or with injected `batch` failures when FAULTS asks for them. */
export function consumerDb(env: Cloudflare.Env): D1Database {
  const p = plan(env);
  if (!p) return env.DB;
  const db = env.DB;
  return new Proxy(db, {
    get(target, key) {
      if (key === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          if (shouldFail(p)) throw new Error("injected D1 write failure");
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
