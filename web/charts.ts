import type { SpendDay, ModelTokens } from "../src/ui/spend.js";
import { h, svg } from "./dom.js";

/** Colours told apart by most kinds of colour blindness (Okabe and Ito's palette). */
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

/** A profile's colour, the same in every chart and legend of the page. */
function colourOf(keys: readonly string[], key: string): string {
  return PALETTE[keys.indexOf(key) % PALETTE.length] ?? "#888888";
}

/** Dollars with cents, as the page shows every amount. */
export function usd(n: number): string {
  return `$${n.toFixed(2)}`;
}

function legend(keys: readonly string[]): HTMLElement {
  return h(
    "ul",
    { class: "legend" },
    ...keys.map((k) => h("li", {}, h("span", { class: "swatch", "data-colour": colourOf(keys, k) }), k)),
  );
}

/** Paints the legend swatches (a style attribute would need `style-src 'unsafe-inline'`). */
export function paintSwatches(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>(".swatch[data-colour]"))
    el.style.backgroundColor = el.dataset.colour ?? "";
}

const W = 720;
const H = 240;
const PAD = { left: 56, right: 8, top: 8, bottom: 28 };

/**
 * Cost per day as bars stacked by credential profile. Each segment has a title (the tooltip and
 * what a screen reader reads), and the chart as a whole a summary.
 */
export function costChart(days: readonly SpendDay[]): HTMLElement {
  const profiles = [...new Set(days.flatMap((d) => Object.keys(d.byProfile)))].sort();
  const totals = days.map((d) => Object.values(d.byProfile).reduce((a, b) => a + b, 0));
  const max = Math.max(0.01, ...totals);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, days.length);
  const bars: SVGElement[] = [];
  days.forEach((d, i) => {
    let y = PAD.top + plotH;
    for (const p of profiles) {
      const cost = d.byProfile[p] ?? 0;
      if (cost <= 0) continue;
      const height = (cost / max) * plotH;
      y -= height;
      bars.push(
        svg(
          "rect",
          {
            x: (PAD.left + i * slot + slot * 0.1).toFixed(1),
            y: y.toFixed(1),
            width: (slot * 0.8).toFixed(1),
            height: height.toFixed(1),
            fill: colourOf(profiles, p),
            class: "bar",
            "data-profile": p,
          },
          svg("title", {}, `${d.day} ${p}: ${usd(cost)}`),
        ),
      );
    }
  });
  const total = totals.reduce((a, b) => a + b, 0);
  const first = days[0]?.day ?? "";
  const last = days[days.length - 1]?.day ?? "";
  const chart = svg(
    "svg",
    {
      viewBox: `0 0 ${W} ${H}`,
      role: "img",
      "aria-label": `Cost per day from ${first} to ${last}, ${usd(total)} in all, stacked by credential profile`,
      class: "chart",
      id: "cost-chart",
    },
    svg("line", { x1: PAD.left, y1: PAD.top + plotH, x2: W - PAD.right, y2: PAD.top + plotH, class: "axis" }),
    svg("text", { x: PAD.left - 6, y: PAD.top + 10, "text-anchor": "end", class: "tick" }, usd(max)),
    svg("text", { x: PAD.left - 6, y: PAD.top + plotH, "text-anchor": "end", class: "tick" }, "$0"),
    svg("text", { x: PAD.left, y: H - 8, class: "tick" }, first),
    svg("text", { x: W - PAD.right, y: H - 8, "text-anchor": "end", class: "tick" }, last),
    ...bars,
  );
  return h("figure", {}, chart, legend(profiles));
}

/** Tokens per model as horizontal bars, input and output side by side in one bar. */
export function tokenChart(models: readonly ModelTokens[]): HTMLElement {
  const rowH = 28;
  const height = PAD.top + models.length * rowH + 8;
  const labelW = 200;
  const max = Math.max(1, ...models.map((m) => m.input + m.output));
  const plotW = W - labelW - 80;
  const kinds = ["input", "output"];
  const rows = models.flatMap((m, i) => {
    const y = PAD.top + i * rowH;
    const inW = (m.input / max) * plotW;
    const outW = (m.output / max) * plotW;
    return [
      svg("text", { x: labelW - 8, y: y + 17, "text-anchor": "end", class: "tick" }, m.model),
      svg(
        "rect",
        { x: labelW, y: y + 4, width: inW.toFixed(1), height: rowH - 8, fill: colourOf(kinds, "input") },
        svg("title", {}, `${m.model}: ${m.input.toLocaleString("en")} input tokens`),
      ),
      svg(
        "rect",
        {
          x: (labelW + inW).toFixed(1),
          y: y + 4,
          width: outW.toFixed(1),
          height: rowH - 8,
          fill: colourOf(kinds, "output"),
        },
        svg("title", {}, `${m.model}: ${m.output.toLocaleString("en")} output tokens`),
      ),
      svg(
        "text",
        { x: (labelW + inW + outW + 6).toFixed(1), y: y + 17, class: "tick" },
        (m.input + m.output).toLocaleString("en"),
      ),
    ];
  });
  const chart = svg(
    "svg",
    {
      viewBox: `0 0 ${W} ${height}`,
      role: "img",
      "aria-label": `Tokens by model: ${models.map((m) => `${m.model} ${m.input + m.output}`).join(", ")}`,
      class: "chart",
      id: "token-chart",
    },
    ...rows,
  );
  return h("figure", {}, chart, legend(kinds));
}
