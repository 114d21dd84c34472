import type { ChatRow, ChatsView } from "../src/ui/chats.js";
import { formatDuration } from "../src/auth/health.js";
import { act, getJson } from "./api.js";
import { button, h, redraw } from "./dom.js";
import type { View } from "./view.js";

function row(c: ChatRow, now: number, refresh: () => void): HTMLTableRowElement {
  const pin = c.profileId === null ? "-" : `${c.profileId} (${c.pinSource ?? "user"})`;
  return h(
    "tr",
    {},
    h("td", {}, c.channel),
    h("th", { scope: "row", title: c.key }, c.chat),
    h("td", {}, c.model),
    h("td", {}, c.modelSource),
    h("td", {}, pin),
    h(
      "td",
      {},
      h(
        "time",
        { datetime: new Date(c.lastActivityMs).toISOString() },
        `${formatDuration(now - c.lastActivityMs)} ago`,
      ),
    ),
    h(
      "td",
      { class: "actions" },
      c.profileId !== null &&
        button("Unpin", `Unpin ${c.profileId} from ${c.channel} ${c.chat}`, `unpin-${c.key}`, () =>
          act("/ui/api/unpin", { key: c.key }, refresh),
        ),
    ),
  );
}

/** Every chat with a model or a pin, searched and paged by the server. */
export function chatsPage(): View {
  let page = 0;
  const search = h("input", { id: "chat-search", type: "search", placeholder: "channel, chat, model, profile" });
  const summary = h("p", { id: "chat-summary", "aria-live": "polite" });
  const body = h("div");
  const prev = h("button", { type: "button", id: "prev-page" }, "Previous page");
  const next = h("button", { type: "button", id: "next-page" }, "Next page");
  let refreshNow = () => {};
  search.addEventListener("input", () => {
    page = 0;
    refreshNow();
  });
  prev.addEventListener("click", () => {
    page = Math.max(0, page - 1);
    refreshNow();
  });
  next.addEventListener("click", () => {
    page += 1;
    refreshNow();
  });
  return {
    title: "Chats",
    mount: (root) =>
      root.replaceChildren(
        h("label", { for: "chat-search" }, "Search chats"),
        search,
        summary,
        body,
        h("nav", { "aria-label": "Pages", class: "pager" }, prev, next),
      ),
    refresh: async (again, poll) => {
      refreshNow = again;
      const q = new URLSearchParams({ q: search.value, page: String(page) });
      const v = await getJson<ChatsView & { readonly now: number }>(`/ui/api/chats?${q}`, poll);
      if (v.query !== search.value) return; // typed on meanwhile: the next answer is the one to show
      page = v.page;
      const text = `${v.total} chat${v.total === 1 ? "" : "s"}, page ${v.page + 1} of ${v.pageCount}`;
      if (summary.textContent !== text) summary.textContent = text;
      prev.disabled = v.page === 0;
      next.disabled = v.page + 1 >= v.pageCount;
      redraw(body, [
        v.rows.length === 0
          ? h("p", {}, v.query ? "No chat matches." : "No chat has a model or a pin.")
          : h(
              "table",
              {},
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ...["Channel", "Chat", "Model", "Model from", "Pinned profile", "Last activity", "Actions"].map((t) =>
                    h("th", { scope: "col" }, t),
                  ),
                ),
              ),
              h("tbody", {}, ...v.rows.map((c) => row(c, v.now, again))),
            ),
      ]);
    },
  };
}
