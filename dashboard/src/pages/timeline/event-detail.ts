import type { TimelineEvent } from "../../lib/types";

function originOf(url: string | null | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

/** A short line of what matters about an event, per channel (never message text: it is not stored). */
export function eventDetail(e: TimelineEvent): string {
  const p = e.properties;
  const parts: unknown[] = [];
  if (e.channel_type === "web") {
    parts.push(e.path, p.journey && `journey ${p.journey}`, p.step && `step ${p.step}`);
    // Only where the visitor came from outside the site; in-site referrers are just the previous page.
    const external = e.referrer && originOf(e.referrer) !== originOf(e.url);
    if (e.event_name === "page_view") parts.push(external && `from ${e.referrer}`, e.utm_campaign && `campaign ${e.utm_campaign}`);
    parts.push([e.device_type, e.browser].filter(Boolean).join(" · "));
  } else {
    parts.push(
      p.direction,
      p.message_type,
      p.status,
      p.content_length !== undefined && `${p.content_length} chars`,
      p.has_media && "media",
      p.agent_id && `agent ${p.agent_id}`,
      p.template && `template ${p.template}`,
    );
  }
  return parts.filter((x) => x !== undefined && x !== null && x !== false && x !== "").join(" · ");
}
