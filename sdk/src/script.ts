// Script-tag entry: `<script src=".../sdk.js" data-project="demo" defer>`. Commands pushed onto
// `window.junction` before the script loaded (`junction.push(["track", "signup"])`) run in order.
import * as api from "./index";

type Command = [keyof typeof api, ...unknown[]];
const w = window as { junction?: unknown };
const early = w.junction;

if (!early || Array.isArray(early)) {
  const script = document.currentScript as HTMLScriptElement | null;
  const data = script?.dataset || {};
  const junction = {
    ...api,
    // After load, push() keeps working, so the snippet's calls never need to know.
    push: (c: Command) => {
      try {
        (api[c[0]] as (...a: unknown[]) => unknown)(...c.slice(1));
      } catch {}
    },
  };
  w.junction = junction;
  if (data.project) api.init({ ...data, project: data.project, endpoint: data.endpoint || new URL(script!.src).origin });
  (early as Command[] | undefined)?.forEach((c) => junction.push(c));
}
