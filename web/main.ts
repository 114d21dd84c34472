import { ApiError } from "./api.js";
import { chatsPage } from "./chats.js";
import { credentialsPage } from "./credentials.js";
import { h } from "./dom.js";
import { spendPage } from "./spend.js";
import type { View } from "./view.js";

/** How often a view asks the server again: a `/model x@p` typed in a chat shows within 2 s. */
const POLL_MS = 1000;

function viewFor(path: string): View {
  if (path.endsWith("/chats")) return chatsPage();
  if (path.endsWith("/spend")) return spendPage();
  return credentialsPage();
}

function start(): void {
  const root = document.getElementById("view");
  if (!root) return;
  const view = viewFor(location.pathname);
  document.title = `${view.title} · OpenClaw control`;
  for (const a of document.querySelectorAll<HTMLAnchorElement>("nav a"))
    if (a.pathname === location.pathname) a.setAttribute("aria-current", "page");
  const heading = h("h2", { class: "view-title" }, view.title);
  const content = h("div");
  root.replaceChildren(heading, content);
  view.mount(content);
  let timer: number | undefined;
  let running = false;
  /** The person asked for a refresh while one was running: it follows at once, as theirs. */
  let asked = false;
  /** `poll`: the timer's refresh, not one the person asked for (loading the page, an action, a search). */
  const tick = async (poll: boolean): Promise<void> => {
    window.clearTimeout(timer);
    if (running) {
      asked ||= !poll;
      return;
    }
    running = true;
    try {
      await view.refresh(() => void tick(false), poll);
      root.removeAttribute("data-error");
    } catch (err) {
      // A lapsed session stops the polling: the message says how to get back in.
      const text = err instanceof Error ? err.message : String(err);
      root.setAttribute("data-error", text);
      if (err instanceof ApiError && err.status === 401) {
        root.replaceChildren(h("h2", {}, "Not logged in"), h("p", {}, text));
        return;
      }
    } finally {
      running = false;
    }
    const person = asked;
    asked = false;
    timer = window.setTimeout(() => void tick(!person), person ? 0 : POLL_MS);
  };
  void tick(false);
}

start();
