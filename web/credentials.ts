import type { CredentialRow, CredentialsView, ProviderRow } from "../src/ui/credentials.js";
import { act, getJson } from "./api.js";
import { button, h, redraw } from "./dom.js";
import type { View } from "./view.js";

/** The order with profile `id` moved one place (`by` -1 up, +1 down), or undefined at an end. */
function moved(ids: readonly string[], id: string, by: -1 | 1): string[] | undefined {
  const at = ids.indexOf(id);
  const to = at + by;
  if (at < 0 || to < 0 || to >= ids.length) return undefined;
  const next = [...ids];
  [next[at], next[to]] = [next[to] as string, next[at] as string];
  return next;
}

function row(p: ProviderRow, c: CredentialRow, place: number, refresh: () => void): HTMLTableRowElement {
  const ids = p.credentials.filter((x) => x.kind === "profile").map((x) => x.id);
  const actions: Node[] = [];
  if (c.cooldownUntilMs !== null)
    actions.push(
      button("Clear cooldown", `Clear cooldown of ${c.id}`, `cool-${c.id}`, () =>
        act("/ui/api/clear-cooldown", { profileId: c.id }, refresh),
      ),
    );
  for (const [by, word] of [
    [-1, "up"],
    [1, "down"],
  ] as const) {
    const order = c.kind === "profile" ? moved(ids, c.id, by) : undefined;
    if (order)
      actions.push(
        button(`Move ${word}`, `Move ${c.id} ${word} in the ${p.provider} order`, `${word}-${c.id}`, () =>
          act("/ui/api/order", { provider: p.provider, order }, refresh),
        ),
      );
  }
  return h(
    "tr",
    { class: c.usable ? "" : "unusable" },
    h("td", {}, String(place)),
    h("th", { scope: "row" }, c.id),
    h("td", {}, c.type),
    h("td", {}, h("code", {}, c.masked)),
    h("td", {}, h("ul", { class: "flags" }, ...c.flags.map((f) => h("li", { class: `flag ${f.split(" ")[0]}` }, f)))),
    h("td", {}, c.spentToday ?? "-"),
    h("td", {}, c.quota?.replace(/^quota /, "") ?? "-"),
    h("td", { class: "actions" }, ...actions),
  );
}

function defaultModelForm(current: string, refresh: () => void): HTMLFormElement {
  const input = h("input", {
    id: "default-model",
    name: "model",
    required: "",
    placeholder: "provider/model or alias",
  });
  const form = h(
    "form",
    { class: "default-model" },
    h("p", {}, "Default model: ", h("strong", { id: "default-model-now" }, current)),
    h("label", { for: "default-model" }, "New default model"),
    input,
    h("button", { type: "submit", id: "set-default-model" }, "Set default model"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void act("/ui/api/default-model", { model: input.value.trim() }, refresh);
  });
  return form;
}

/** Credentials per provider in the resolver's order, with their flags, spend today and quota. */
export function credentialsPage(): View {
  const form = h("div");
  const body = h("div");
  let shownModel: string | undefined;
  return {
    title: "Credentials",
    mount: (root) => root.replaceChildren(form, body),
    refresh: async (again, poll) => {
      const v = await getJson<CredentialsView>("/ui/api/credentials", poll);
      // The form is drawn once per default model, so typing into it survives the redraws.
      if (shownModel !== v.defaultModel) {
        shownModel = v.defaultModel;
        form.replaceChildren(defaultModelForm(v.defaultModel, again));
      }
      const sections = v.providers.map((p) =>
        h(
          "section",
          { "aria-labelledby": `p-${p.provider}` },
          h("h2", { id: `p-${p.provider}` }, `${p.name} `, h("small", {}, `${p.provider} · ${p.orderSource} order`)),
          p.error ? h("p", { class: "failed" }, p.error) : undefined,
          h(
            "table",
            {},
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ...["#", "Profile", "Type", "Key", "Status", "Spend today", "Quota", "Actions"].map((t) =>
                  h("th", { scope: "col" }, t),
                ),
              ),
            ),
            h("tbody", {}, ...p.credentials.map((c, i) => row(p, c, i + 1, again))),
          ),
        ),
      );
      redraw(body, sections.length ? sections : [h("p", {}, "No credentials stored.")]);
    },
  };
}
