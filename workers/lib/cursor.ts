import { badField } from "./http";

/** An opaque page cursor: a JSON array of the last row's sort key, base64url-encoded. */
export const encodeCursor = (key: (string | number)[]) =>
  btoa(unescape(encodeURIComponent(JSON.stringify(key))))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/** The sort key in `cursor`, checked against the types it must hold; 400 `invalid_cursor` otherwise. */
export function decodeCursor<T extends ("string" | "number")[]>(
  cursor: string,
  ...types: T
): { [K in keyof T]: T[K] extends "string" ? string : number } {
  try {
    const key = JSON.parse(decodeURIComponent(escape(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")))));
    if (Array.isArray(key) && key.length === types.length && key.every((v, i) => typeof v === types[i])) return key as never;
  } catch {}
  throw badField("invalid_cursor", "cursor", "cursor is not one this API returned");
}
