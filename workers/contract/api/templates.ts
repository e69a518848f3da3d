import { z } from "zod";
import { isoTimeSchema } from "./shared";

export const TEMPLATE_CATEGORIES = ["MARKETING", "UTILITY", "AUTHENTICATION"] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

const key = z.string().regex(/^[A-Za-z0-9_$:-]{1,64}$/, "keys: letters, digits and _ $ : -");

/**
 * Where one `{{n}}` of a template comes from: a trait of the person's contact (`name` is the
 * contact name), a property of the person's latest `event`, or a fixed `value`. `default` is used
 * when the source has nothing; without one, a person lacking the value is skipped, never sent a gap.
 */
export const templateVariableSchema = z.discriminatedUnion("from", [
  z.strictObject({ from: z.literal("trait"), key, default: z.string().max(1024).optional() }),
  z.strictObject({ from: z.literal("event"), event: z.string().min(1).max(200), property: key, default: z.string().max(1024).optional() }),
  z.strictObject({ from: z.literal("static"), value: z.string().min(1).max(1024) }),
]);
export type TemplateVariable = z.infer<typeof templateVariableSchema>;

/**
 * A component of the provider template with its variables in `{{1}}, {{2}}…` order. A button
 * names its `sub_type` and its position `index`, as Meta's send call addresses a button by both.
 */
export const templateComponentSchema = z
  .strictObject({
    type: z.enum(["header", "body", "button"]),
    sub_type: z.enum(["url", "quick_reply"]).optional(),
    index: z.number().int().min(0).max(9).optional(),
    variables: z.array(templateVariableSchema).max(20).default([]),
  })
  .superRefine((c, ctx) => {
    if (c.type !== "button") return;
    if (c.sub_type === undefined)
      ctx.addIssue({ code: "custom", path: ["sub_type"], message: "a button needs sub_type (url or quick_reply)" });
    if (c.index === undefined) ctx.addIssue({ code: "custom", path: ["index"], message: "a button needs index, its position 0–9" });
  });

/** A WhatsApp template always has a body; header and buttons are optional. */
const componentsSchema = z
  .array(templateComponentSchema, {
    error: (i) => (i.input === undefined ? 'a template needs components, at least its body ({type: "body"})' : undefined),
  })
  .max(10)
  .refine((cs) => cs.some((c) => c.type === "body"), 'a template needs a body component ({type: "body"}, even without variables)');

export const templateInputSchema = z.strictObject({
  /** The template's name as approved at the provider (Meta). */
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, "Meta template names: lowercase letters, digits and _"),
  /** Meta language code, e.g. `en_US`, `sw`. */
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "a language code such as en or en_US"),
  category: z.enum(TEMPLATE_CATEGORIES),
  components: componentsSchema,
  /** Twilio Content SID (`HX` + 32 hex) of the same template, for projects sending through Twilio. */
  twilio_content_sid: z
    .string()
    .regex(/^HX[0-9a-fA-F]{32}$/)
    .nullish(),
});
export type TemplateInput = z.infer<typeof templateInputSchema>;

export const templateSchema = templateInputSchema.extend({
  id: z.string(),
  twilio_content_sid: z.string().nullable(),
  created_at: isoTimeSchema,
  updated_at: isoTimeSchema,
});
export type Template = z.infer<typeof templateSchema>;

export const templateListSchema = z.strictObject({ templates: z.array(templateSchema) });
