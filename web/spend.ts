import type { SpendReport } from "../src/ui/spend.js";
import { getJson } from "./api.js";
import { costChart, paintSwatches, tokenChart } from "./charts.js";
import { h, redraw } from "./dom.js";
import type { View } from "./view.js";

type Answer = ({ readonly ledger: true } & SpendReport) | { readonly ledger: false };

/** Cost per day by profile, tokens by model, and budgets. */
export function spendPage(): View {
  const body = h("div");
  let last = "";
  return {
    title: "Spend",
    mount: (root) => root.replaceChildren(body),
    refresh: async () => {
      const v = await getJson<Answer>("/ui/api/spend");
      // Charts are redrawn only when their data changed: a tooltip being read stays put.
      const text = JSON.stringify(v);
      if (text === last) return;
      last = text;
      if (!v.ledger) {
        redraw(body, [
          h(
            "p",
            { id: "no-ledger" },
            "No usage ledger yet: this gateway does not record what model calls cost, so there is nothing to chart.",
          ),
        ]);
        return;
      }
      redraw(body, [
        h("h2", {}, `Cost per day, last ${v.days.length} days`),
        costChart(v.days),
        h("h2", {}, "Tokens by model"),
        v.tokensByModel.length ? tokenChart(v.tokensByModel) : h("p", {}, "No tokens recorded."),
        h("h2", {}, "Budgets"),
        v.budgets.length
          ? h(
              "table",
              {},
              h(
                "thead",
                {},
                h("tr", {}, ...["Budget", "Period", "Used", "Limit", ""].map((t) => h("th", { scope: "col" }, t))),
              ),
              h(
                "tbody",
                {},
                ...v.budgets.map((b) =>
                  h(
                    "tr",
                    {},
                    h("th", { scope: "row" }, b.name),
                    h("td", {}, b.period),
                    h("td", {}, `$${b.usedUsd.toFixed(2)}`),
                    h("td", {}, `$${b.limitUsd.toFixed(2)}`),
                    h(
                      "td",
                      {},
                      h("progress", {
                        max: String(b.limitUsd),
                        value: String(Math.min(b.usedUsd, b.limitUsd)),
                        "aria-label": `${b.name}: ${Math.round((b.usedUsd / b.limitUsd) * 100)}% used`,
                      }),
                    ),
                  ),
                ),
              ),
            )
          : h("p", {}, "No budgets configured."),
      ]);
      paintSwatches(body);
    },
  };
}
