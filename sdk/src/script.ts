// Script-tag entry: `<script src=".../sdk.js" data-project="demo" defer>`. Commands pushed onto
// `window.junction` before the script loaded (`junction.push(["track", "signup"])`) run in order.
import { type Options, flush, identify, init, optIn, optOut, page, reset, track } from "./index";

type Method = (...a: unknown[]) => unknown;
const w = window as { junction?: unknown };
const early = w.junction as [string, ...unknown[]][] | undefined;

if (!early || Array.isArray(early)) {
  const script = document.currentScript as HTMLScriptElement | null;
  const data = script?.dataset || {};
  const junction: Record<string, Method> = { init, track, page, identify, reset, flush, optOut, optIn } as never;
  // After load, push() keeps working, so the snippet's calls never need to know. Every method
  // already swallows its own errors; an unknown name is skipped.
  junction.push = (c) => junction[(c as string[])[0]]?.(...(c as unknown[]).slice(1));
  w.junction = junction;
  if (data.project) init({ ...data, endpoint: data.endpoint || new URL(script!.src).origin } as Options);
  early?.forEach(junction.push);
}
