/** Bindings come from `wrangler types` (worker-configuration.d.ts); this names them once for Hono. */
export type Env = Cloudflare.Env;
export type AppEnv = { Bindings: Env };
