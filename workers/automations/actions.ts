import type { AutomationAction } from "../contract";
import { sendTemplateAction } from "./send-template";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody } from "./sign";
import type { Outcome, RunParams } from "./runs";
import type { Loaded } from "./store";

export type { Outcome };

/** The person's WhatsApp address: a linked phone or BSUID, else their own `x:` id, else none (web only). */
export async function whatsappOf(db: D1Database, projectId: string, personId: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT min(value) AS v FROM identities WHERE project_id = ? AND person_id = ? AND kind = 'external_id'")
    .bind(projectId, personId)
    .first<{ v: string | null }>();
  return row?.v ?? (personId.startsWith("x:") ? personId.slice(2) : null);
}

/** A signed JSON POST; a non-2xx answer throws, so the step retries it. */
async function signedPost(a: Loaded, url: string, key: string, payload: unknown): Promise<Outcome> {
  const body = JSON.stringify(payload);
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [SIGNATURE_HEADER]: await signBody(a.secret, body),
      [IDEMPOTENCY_HEADER]: key,
      "user-agent": "Junction-Automations/1",
    },
    body,
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return { status: "ok", detail: `${res.status} from ${new URL(url).host}` };
}

/** Runs one action for the run's person. Throws on a failure worth retrying. */
export async function runAction(env: Cloudflare.Env, a: Loaded, p: RunParams, index: number, action: AutomationAction): Promise<Outcome> {
  const db = env.DB;
  const key = `${p.run_id}:${index}`;
  const whatsapp = await whatsappOf(db, p.project_id, p.person_id);
  const base = {
    automation: { id: a.id, name: a.name },
    run_id: p.run_id,
    person: { person_id: p.person_id, whatsapp },
    trigger: {
      key: p.trigger.key,
      event: p.trigger.event ?? null,
      event_id: p.trigger.event_id ?? null,
      at: new Date(p.trigger.at).toISOString(),
      properties: p.trigger.properties ?? {},
    },
  };
  switch (action.type) {
    case "webhook":
      return signedPost(a, action.url, key, { type: "automation.run", ...base, sent_at: new Date().toISOString() });
    case "handoff":
      if (!whatsapp) return { status: "skipped", detail: "the person has no WhatsApp conversation to hand off" };
      return signedPost(a, action.url, key, {
        type: "automation.handoff",
        ...base,
        conversation_id: `wa:${p.project_id}:${whatsapp}`,
        note: action.note ?? null,
        sent_at: new Date().toISOString(),
      });
    case "set_trait": {
      if (!whatsapp) return { status: "skipped", detail: "the person has no WhatsApp contact to hold traits" };
      const now = Date.now();
      await db
        .prepare(
          `INSERT INTO contacts (project_id, external_id, first_seen_at, last_seen_at, attributes) VALUES (?1, ?2, ?3, ?3, json_object(?4, json(?5)))
           ON CONFLICT (project_id, external_id) DO UPDATE SET attributes = json_patch(contacts.attributes, excluded.attributes)`,
        )
        .bind(p.project_id, whatsapp, now, action.trait, JSON.stringify(action.value))
        .run();
      return { status: "ok", detail: `${action.trait} = ${JSON.stringify(action.value)}` };
    }
    case "add_to_list":
      await db
        .prepare("INSERT OR IGNORE INTO list_members (project_id, list, person_id, added_at) VALUES (?, ?, ?, ?)")
        .bind(p.project_id, action.list, p.person_id, Date.now())
        .run();
      return { status: "ok", detail: `on list ${action.list}` };
    case "send_template":
      if (!whatsapp) return { status: "skipped", detail: "the person has no WhatsApp address" };
      return sendTemplateAction(env, p, index, action.template_id, whatsapp);
  }
}
