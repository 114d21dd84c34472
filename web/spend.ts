import type { BudgetRow, SpendReport } from "../src/ui/spend.js";

/** The report, and whether new turns are recorded (`usage.ledger`). */
type Answer = SpendReport & { readonly recording: boolean };
import { getJson } from "./api.js";
import { costChart, paintSwatches, tokenChart, usd } from "./charts.js";
import { h, redraw } from "./dom.js";
import type { View } from "./view.js";

/** The budgets, each with its use this period as a bar screen readers read as a percentage. */
function budgetTable(budgets: readonly BudgetRow[]): HTMLElement {
  return h(
    "table",
    { id: "budgets" },
    h(
      "thead",
      {},
      h("tr", {}, ...["Budget", "Action", "Used", "Limit", "", "Resets"].map((t) => h("th", { scope: "col" }, t))),
    ),
    h(
      "tbody",
      {},
      ...budgets.map((b) => {
        const share = Math.round((b.spentUsd / b.limitUsd) * 100);
        const who = b.perChat ? (b.topChat ? ` (per chat; most: ${b.topChat})` : " (per chat)") : "";
        return h(
          "tr",
          {},
          h("th", { scope: "row" }, `${b.key}${who}`),
          h("td", {}, b.action),
          h("td", {}, usd(b.spentUsd)),
          h("td", {}, usd(b.limitUsd)),
          h(
            "td",
            {},
            h("progress", {
              max: String(b.limitUsd),
              value: String(Math.min(b.spentUsd, b.limitUsd)),
              "aria-label": `${b.key}: ${share}% used`,
            }),
          ),
          h(
            "td",
            {},
            h(
              "time",
              { datetime: new Date(b.resetsAtMs).toISOString() },
              `${new Date(b.resetsAtMs).toISOString().slice(0, 16).replace("T", " ")} UTC`,
            ),
          ),
        );
      }),
    ),
  );
}

/** Cost per day by profile, tokens by model and budgets, from the usage ledger. */
export function spendPage(): View {
  const body = h("div");
  let last = "";
  return {
    title: "Spend",
    mount: (root) => root.replaceChildren(body),
    refresh: async (_again, poll) => {
      const v = await getJson<Answer>("/ui/api/spend", poll);
      // Charts are redrawn only when their data changed: a tooltip being read stays put.
      const text = JSON.stringify(v);
      if (text === last) return;
      last = text;
      const spent = v.days.some((d) => Object.keys(d.byProfile).length > 0);
      redraw(body, [
        v.recording
          ? ""
          : h(
              "p",
              { id: "not-recording" },
              "The usage ledger is off (usage.ledger: false in model-gateway.json): new turns are not recorded.",
            ),
        h("h2", {}, `Cost per day, last ${v.days.length} days (UTC)`),
        spent ? costChart(v.days) : h("p", { id: "no-spend" }, "No priced turn in these days."),
        h(
          "p",
          {},
          v.unpricedTurns > 0
            ? `Not in the chart: ${v.unpricedTurns} turns of models without a price (never counted as free).`
            : "",
        ),
        h("h2", {}, "Tokens by model"),
        v.tokensByModel.length ? tokenChart(v.tokensByModel) : h("p", {}, "No turns in these days."),
        h("h2", {}, "Budgets"),
        v.budgets.length
          ? budgetTable(v.budgets)
          : h("p", {}, "No budgets configured (budgets in model-gateway.json)."),
      ]);
      paintSwatches(body);
    },
  };
}
