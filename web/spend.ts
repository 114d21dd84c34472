import type { SpendReport } from "../src/ui/spend.js";

/** The report, and whether new turns are recorded (`usage.ledger`). */
type Answer = SpendReport & { readonly recording: boolean };
import { getJson } from "./api.js";
import { costChart, paintSwatches, tokenChart } from "./charts.js";
import { h, redraw } from "./dom.js";
import type { View } from "./view.js";

/** Cost per day by profile and tokens by model, from the usage ledger. */
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
      ]);
      paintSwatches(body);
    },
  };
}
