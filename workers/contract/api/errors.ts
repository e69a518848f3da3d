import { z } from "zod";

/** One wrong field of a request: where (dot path, "" for the whole input) and what is wrong. */
export const issueSchema = z.strictObject({ path: z.string(), message: z.string() });
/** The events of a batch that were refused, by their index in `events`. */
export const rejectedSchema = z.array(z.strictObject({ index: z.number().int().nonnegative(), error: z.string() }));

/** The shapes `details` may take; each error code uses exactly one of them. */
export const ERROR_DETAILS = {
  /** No `details` at all. */
  none: z.undefined(),
  /** `[{path, message}]`: every field that was wrong. */
  issues: z.array(issueSchema),
  /** `{rejected: [{index, error}]}`: why each event of the batch was refused. */
  rejected: z.strictObject({ rejected: rejectedSchema }),
} as const;
export type ErrorDetailsKind = keyof typeof ERROR_DETAILS;

type ErrorDef = { status: number; details: ErrorDetailsKind; description: string };

/**
 * Every error code the HTTP surface answers with: its one status, the shape of its `details`,
 * and when it happens. A code never comes with two statuses, so a client may switch on `error` alone.
 */
export const ERROR_CODES = {
  invalid_json: { status: 400, details: "none", description: "the body is not valid JSON" },
  invalid_batch: {
    status: 400,
    details: "issues",
    description: "a capture or CRM batch envelope is malformed, or names an unknown project (CRM)",
  },
  value_too_deep: {
    status: 400,
    details: "none",
    description: "a request body, or a value in it, nests deeper than its limit (docs/reliability.md)",
  },
  invalid_query: { status: 400, details: "issues", description: "a query-string parameter is missing, malformed or not allowed" },
  invalid_range: { status: 400, details: "issues", description: "`from` is not before `to`, or the range is longer than allowed" },
  invalid_dimension: { status: 400, details: "issues", description: "`dimension` is not a known dimension" },
  invalid_breakdown: { status: 400, details: "issues", description: "`breakdown` is not a known dimension" },
  invalid_cursor: { status: 400, details: "issues", description: "`cursor` is not one this API returned" },
  invalid_funnel: { status: 400, details: "issues", description: "a funnel definition or query is malformed" },
  invalid_handshake: { status: 400, details: "issues", description: "a handshake request is malformed (e.g. the phone is not E.164)" },
  invalid_project: { status: 400, details: "issues", description: "a project definition is malformed" },
  invalid_token: { status: 400, details: "issues", description: "a token request is malformed" },
  invalid_segment: { status: 400, details: "issues", description: "a segment definition is malformed" },
  invalid_sla_policy: { status: 400, details: "issues", description: "an SLA policy is malformed (e.g. no target)" },
  invalid_template: { status: 400, details: "issues", description: "a template definition is malformed" },
  invalid_campaign: { status: 400, details: "issues", description: "a campaign definition or its settings are malformed" },
  invalid_import: {
    status: 400,
    details: "issues",
    description: "a contact import is not CSV or JSON rows, or its CSV header names no phone or bsuid column",
  },
  invalid_automation: {
    status: 400,
    details: "issues",
    description: "an automation definition (or a runs query) is malformed, or names a segment or template the project does not have",
  },
  invalid_id: { status: 400, details: "issues", description: "a path id is malformed" },
  invalid_payload: { status: 400, details: "issues", description: "an authentic webhook body is not the provider's envelope" },
  no_valid_events: { status: 400, details: "rejected", description: "no event of the batch is valid; each is named" },
  rollups_unavailable: { status: 400, details: "none", description: "`source=rollups` cannot answer these filters exactly" },
  too_many_buckets: { status: 400, details: "none", description: "the range holds too many buckets of `interval`" },
  funnel_too_large: { status: 400, details: "none", description: "too many people entered the funnel; narrow the range" },
  unsupported_filter: { status: 400, details: "none", description: "`source=ae` cannot apply a filter" },
  unsupported_dimension: { status: 400, details: "none", description: "`source=ae` cannot break down by the dimension" },
  analytics_engine_not_configured: {
    status: 400,
    details: "none",
    description: "`source=ae` asked of a deployment without Analytics Engine credentials",
  },
  missing_twilio_signature: { status: 400, details: "none", description: "a Twilio webhook without X-Twilio-Signature" },
  unauthorized: { status: 401, details: "none", description: "no bearer token, or one that is unknown or revoked" },
  missing_signature: { status: 401, details: "none", description: "a signed webhook (Meta, Chatwoot, CRM) without its signature headers" },
  bad_signature: { status: 401, details: "none", description: "a signed webhook whose signature does not match its body" },
  stale_timestamp: { status: 401, details: "none", description: "a CRM webhook signed too long ago (or in the future)" },
  forbidden: { status: 403, details: "none", description: "the token's project or scope does not allow the route" },
  bad_twilio_signature: { status: 403, details: "none", description: "a Twilio webhook whose X-Twilio-Signature does not match" },
  bad_verify_token: { status: 403, details: "none", description: "Meta's subscription check sent the wrong verify token" },
  unknown_capture_project: { status: 403, details: "none", description: "`/capture` names a project that does not exist" },
  origin_not_allowed: { status: 403, details: "none", description: "`/capture` from an Origin outside the project's allow-list" },
  unknown_project: { status: 404, details: "none", description: "the project in the path or body does not exist" },
  not_found: { status: 404, details: "none", description: "no such route, token or dead letter" },
  funnel_not_found: { status: 404, details: "none", description: "no saved funnel with this id in the project" },
  segment_not_found: { status: 404, details: "none", description: "no segment with this id in the project" },
  sla_policy_not_found: { status: 404, details: "none", description: "no SLA policy with this id in the project" },
  template_not_found: { status: 404, details: "none", description: "no template with this id in the project" },
  campaign_not_found: { status: 404, details: "none", description: "no campaign with this id in the project" },
  campaign_state: {
    status: 409,
    details: "none",
    description: "the campaign's status does not allow the change (e.g. launching it twice)",
  },
  template_exists: { status: 409, details: "none", description: "a template with this name and language already exists in the project" },
  automation_not_found: { status: 404, details: "none", description: "no automation (or run of it) with this id in the project" },
  not_replayable: { status: 409, details: "none", description: "the dead letter has no JSON body to replay" },
  payload_too_large: { status: 413, details: "none", description: "the body is over the endpoint's limit" },
  upgrade_required: { status: 426, details: "none", description: "the live route needs a WebSocket upgrade" },
  rate_limited: { status: 429, details: "none", description: "too many requests from this client; see Retry-After" },
  internal_error: { status: 500, details: "none", description: "a bug of ours; it is logged" },
  analytics_engine_error: { status: 502, details: "none", description: "Analytics Engine answered with an error" },
  not_configured: { status: 503, details: "none", description: "a webhook secret is not configured on this deployment" },
  queue_unavailable: { status: 503, details: "none", description: "events could not be queued; retry after Retry-After" },
} as const satisfies Record<string, ErrorDef>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];
export type ErrorStatus<C extends ErrorCode> = (typeof ERROR_CODES)[C]["status"];
export type ErrorDetails<C extends ErrorCode> = z.infer<(typeof ERROR_DETAILS)[(typeof ERROR_CODES)[C]["details"]]>;

/**
 * The one error envelope. `error` is a code of ERROR_CODES, or `http_<status>` for an HTTP
 * error raised outside Junction's own code (none is known today).
 */
export const errorSchema = z.strictObject({
  error: z.union([z.enum(ERROR_CODE_NAMES), z.string().regex(/^http_[0-9]{3}$/)]),
  message: z.string(),
  details: z.union([ERROR_DETAILS.issues, ERROR_DETAILS.rejected]).optional(),
});
export type ApiErrorBody = z.infer<typeof errorSchema>;
