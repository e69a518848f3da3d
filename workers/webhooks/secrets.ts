import { ApiError } from "../lib/http";

type SecretName = "META_APP_SECRET" | "META_VERIFY_TOKEN" | "TWILIO_AUTH_TOKEN" | "CHATWOOT_WEBHOOK_SECRET" | "CRM_WEBHOOK_SECRET";

/**
 * A webhook secret, or a loud 503: a missing secret must never turn verification into a no-op.
 * (`wrangler secret put NAME`; local defaults live in .dev.vars.example.)
 */
export function requireSecret(env: Cloudflare.Env, name: SecretName): string {
  const value = env[name];
  if (!value) {
    console.error(`${name} is not configured; refusing webhook deliveries`);
    throw new ApiError(503, "not_configured", `${name} is not configured on this deployment`);
  }
  return value;
}
