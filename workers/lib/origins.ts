/** The origins `DASHBOARD_ORIGIN` admits (empty: none; the Worker's own dashboard needs no CORS). */
export function allowedOrigins(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((o) => o.trim().replace(/\/+$/, ""))
    .filter(Boolean);
}

/**
 * Where the dashboard that sent `request` runs: its `Origin` when that is the Worker's own origin
 * or one `DASHBOARD_ORIGIN` admits (Pages), else the Worker's own origin (it serves the dashboard
 * at `/`), else `PUBLIC_BASE_URL`. Never an origin that is not allowed, so a link built from it
 * cannot point anywhere an attacker chose.
 */
export function dashboardOrigin(request: Request, env: { DASHBOARD_ORIGIN?: string; PUBLIC_BASE_URL?: string }): string {
  const own = new URL(request.url).origin;
  const sent = request.headers.get("origin")?.replace(/\/+$/, "");
  if (sent && (sent === own || allowedOrigins(env.DASHBOARD_ORIGIN).includes(sent))) return sent;
  if (own && own !== "null") return own;
  return (env.PUBLIC_BASE_URL ?? "").replace(/\/+$/, "");
}
