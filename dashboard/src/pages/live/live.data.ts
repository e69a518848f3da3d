import { createSignal, onCleanup } from "solid-js";
import { getJson, projectUrl } from "../../lib/api";
import { project, token } from "../../lib/session";
import type { LiveSnapshot } from "../../lib/types";

export type LiveMode = "connecting" | "socket" | "polling";

/**
 * Live numbers pushed over the project's WebSocket; when the socket cannot open or drops, poll
 * `/live/snapshot` every `pollMs` and try the socket again every `retryMs`.
 */
export function loadLive(pollMs = 5_000, retryMs = 30_000) {
  const [snapshot, setSnapshot] = createSignal<LiveSnapshot>();
  const [history, setHistory] = createSignal<LiveSnapshot[]>([]);
  const [mode, setMode] = createSignal<LiveMode>("connecting");
  const [error, setError] = createSignal<unknown>();
  let socket: WebSocket | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const accept = (s: LiveSnapshot) => {
    setError(undefined);
    setSnapshot(s);
    // The socket and the first poll can report the same snapshot.
    setHistory((h) => (h.at(-1)?.at === s.at ? h : [...h.slice(-59), s]));
  };
  const pollOnce = () => getJson<LiveSnapshot>("/live/snapshot").then(accept, setError);
  const startPolling = () => {
    setMode("polling");
    if (!poll) pollOnce(), (poll = setInterval(pollOnce, pollMs));
    clearTimeout(retry);
    retry = setTimeout(connect, retryMs);
  };
  function connect() {
    if (closed) return;
    const url = new URL(projectUrl("/live", { access_token: token() }), location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    try {
      socket = new WebSocket(url);
    } catch {
      return startPolling();
    }
    socket.onopen = () => {
      setMode("socket");
      clearInterval(poll);
      poll = undefined;
    };
    socket.onmessage = (m) => {
      try {
        accept(JSON.parse(m.data as string) as LiveSnapshot);
      } catch {
        // A frame that is not a snapshot (e.g. a ping) is not ours to show.
      }
    };
    socket.onclose = () => !closed && startPolling();
  }

  connect();
  // The socket may only push on change: fetch the current numbers once right away.
  void pollOnce();
  void project();
  onCleanup(() => {
    closed = true;
    socket?.close();
    clearInterval(poll);
    clearTimeout(retry);
  });
  return { snapshot, history, mode, error };
}
