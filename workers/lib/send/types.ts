/** One component's rendered parameters, in the template's order (Meta's `components[].parameters`). */
export type RenderedComponent = {
  type: "header" | "body" | "button";
  /** Buttons only: Meta's `sub_type` and the button's position. */
  sub_type?: "url" | "quick_reply";
  index?: number;
  values: string[];
};

/** A template message to one WhatsApp user. */
export type TemplateSend = {
  /** E.164 phone, or a Meta business-scoped user id (BSUID) for users known by username only. */
  to: { phone?: string; bsuid?: string };
  /** The provider's template: its name (Meta) and, for Twilio, the Content SID (`HX…`). */
  template: { name: string; twilioContentSid?: string | null };
  language: string;
  variables: RenderedComponent[];
  /** Echoed on every status of the message (Meta `biz_opaque_callback_data`, ≤ 512 chars). */
  callbackData?: string;
  /** The sending account, as in `projects.whatsapp_accounts` (`meta:<phone_number_id>`, `twilio:+E.164`); default: the project's first. */
  from?: string;
};

/** The provider's verdict on one send: accepted with its message id, or why not and whether a retry may help. */
export type SendResult =
  | { ok: true; provider: "meta" | "twilio"; providerMessageId: string }
  | { ok: false; retryable: boolean; code: string; message: string };

/** What a sender needs of the project. */
export type Sender = { id: string; whatsappAccounts: string[] };
