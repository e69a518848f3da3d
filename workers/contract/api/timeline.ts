import { z } from "zod";
import { apiEventSchema } from "./events";

/** Every id linked to the one asked about (transitively), and the person they share. */
export const personSchema = z.strictObject({
  person_id: z.string(),
  anonymous_ids: z.array(z.string()),
  external_ids: z.array(z.string()),
  user_ids: z.array(z.string()),
});
export type Person = z.infer<typeof personSchema>;

/** `GET /timeline`: one person's events across web and WhatsApp, oldest first. */
export const timelineSchema = z.strictObject({ person: personSchema, events: z.array(apiEventSchema), has_more: z.boolean() });
export type Timeline = z.infer<typeof timelineSchema>;
