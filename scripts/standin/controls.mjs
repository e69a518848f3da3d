// Fault injection for the stand-in provider (`POST /__control`). Kept apart from the wire formats
// so the same knobs mean the same thing for Meta and Twilio; each provider module only decides
// which of its own error codes a failure turns into.

/** Recipient key: `whatsapp:+1 415-555-0123`, `+14155550123` and `14155550123` are one person; a BSUID is itself. */
export function recipientKey(to) {
  const s = String(to ?? "")
    .replace(/^whatsapp:/i, "")
    .trim();
  return /^\+?[\d\s().-]+$/.test(s) ? s.replace(/\D/g, "") : s;
}

export function freshControls() {
  return {
    failNext: 0,
    failRate: 0,
    // HTTP status / provider code of an injected failure; undefined = the provider's default for it.
    failStatus: undefined,
    failCode: undefined,
    // Limits injected failures to one provider, for tests that drive both at once.
    failProvider: undefined,
    recipientErrors: new Map(),
    latencyMs: 0,
    throughputPerSecond: 0, // 0 = unlimited
    templateCategories: new Map(),
  };
}

const KNOWN = new Set([
  "reset",
  "fail_next",
  "fail_rate",
  "status",
  "code",
  "provider",
  "recipient_errors",
  "latency_ms",
  "throughput_per_second",
  "template_categories",
]);

const nonNegative = (v, name, { integer = false, max = Infinity } = {}) => {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > max || (integer && !Number.isInteger(v))) {
    throw new Error(`${name} must be a ${integer ? "non-negative integer" : "number"}${max < Infinity ? ` ≤ ${max}` : ""}`);
  }
  return v;
};

/**
 * Applies a control body to `controls` in place; returns true when it asked for a reset (the caller
 * also clears its recorded messages and outbox then). Unknown keys are refused rather than ignored,
 * so a typo in a test fails loudly instead of silently testing nothing.
 */
export function applyControl(controls, body) {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error("control body must be a JSON object");
  const unknown = Object.keys(body).filter((k) => !KNOWN.has(k));
  if (unknown.length) throw new Error(`unknown control keys: ${unknown.join(", ")}`);
  // Validate everything before changing anything, so a refused body leaves the state as it was.
  const next =
    body.reset === true
      ? freshControls()
      : { ...controls, recipientErrors: new Map(controls.recipientErrors), templateCategories: new Map(controls.templateCategories) };
  if ("fail_next" in body) next.failNext = nonNegative(body.fail_next, "fail_next", { integer: true });
  if ("fail_rate" in body) next.failRate = nonNegative(body.fail_rate, "fail_rate", { max: 1 });
  if ("status" in body) {
    if (body.status !== null && ![400, 401, 403, 404, 429, 500, 502, 503, 504].includes(body.status))
      throw new Error("status must be an HTTP error status (400, 401, 403, 404, 429, 500, 502, 503, 504) or null");
    next.failStatus = body.status ?? undefined;
  }
  if ("code" in body) {
    if (body.code !== null) nonNegative(body.code, "code", { integer: true });
    next.failCode = body.code ?? undefined;
  }
  if ("provider" in body) {
    if (body.provider !== null && body.provider !== "meta" && body.provider !== "twilio")
      throw new Error('provider must be "meta", "twilio" or null');
    next.failProvider = body.provider ?? undefined;
  }
  if ("recipient_errors" in body) {
    const map = body.recipient_errors;
    if (!map || typeof map !== "object" || Array.isArray(map))
      throw new Error("recipient_errors must be an object of recipient → error code (null removes one)");
    for (const [to, code] of Object.entries(map)) {
      if (code === null) next.recipientErrors.delete(recipientKey(to));
      else next.recipientErrors.set(recipientKey(to), nonNegative(code, `recipient_errors[${to}]`, { integer: true }));
    }
  }
  if ("latency_ms" in body) next.latencyMs = nonNegative(body.latency_ms, "latency_ms", { integer: true, max: 60_000 });
  if ("throughput_per_second" in body)
    next.throughputPerSecond = nonNegative(body.throughput_per_second, "throughput_per_second", { integer: true });
  if ("template_categories" in body) {
    const map = body.template_categories;
    if (!map || typeof map !== "object" || Array.isArray(map))
      throw new Error("template_categories must be an object of template name → category");
    for (const [name, cat] of Object.entries(map)) {
      if (!["marketing", "utility", "authentication"].includes(cat))
        throw new Error(`template_categories[${name}] must be marketing, utility or authentication`);
      next.templateCategories.set(name, cat);
    }
  }
  Object.assign(controls, next);
  return body.reset === true;
}

/** Plain-JSON view of the controls (`GET /__control`). */
export function describeControls(c) {
  return {
    fail_next: c.failNext,
    fail_rate: c.failRate,
    status: c.failStatus ?? null,
    code: c.failCode ?? null,
    provider: c.failProvider ?? null,
    recipient_errors: Object.fromEntries(c.recipientErrors),
    latency_ms: c.latencyMs,
    throughput_per_second: c.throughputPerSecond,
    template_categories: Object.fromEntries(c.templateCategories),
  };
}

/**
 * Decides whether this send fails by injection; consumes one `fail_next` when it does. Returns
 * `{ status, code }` (either may be undefined: the provider fills in its default) or null.
 */
export function injectedFailure(controls, provider, random) {
  if (controls.failProvider && controls.failProvider !== provider) return null;
  if (controls.failNext > 0) {
    controls.failNext--;
    return { status: controls.failStatus, code: controls.failCode };
  }
  if (controls.failRate > 0 && random() < controls.failRate) return { status: controls.failStatus, code: controls.failCode };
  return null;
}

/**
 * Sliding one-second window of accepted sends per provider, as a throughput cap behaves: the
 * (n+1)th send within any second is refused, and capacity returns as the oldest leaves the window.
 */
export class Throughput {
  #sent = new Map();
  admit(provider, limit, now = Date.now()) {
    if (!limit) return true;
    const times = (this.#sent.get(provider) ?? []).filter((t) => now - t < 1000);
    this.#sent.set(provider, times);
    if (times.length >= limit) return false;
    times.push(now);
    return true;
  }
  clear() {
    this.#sent.clear();
  }
}
