import os from "node:os";
import type { BenchResult } from "./result.js";
import { areas } from "./areas.js";

// Each area owns one module (bench/areas.ts); `npm run bench` runs them in turn, one process, and
// prints a table of ratios to same-run baselines. `npm run bench -- cli` runs the areas whose name
// contains "cli"; `--json` prints the figures as JSON for tools instead of the table.

/** Where and when the absolute figures were measured; they mean little without it. */
function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    node: process.version,
    loadAverage: Number((os.loadavg()[0] ?? 0).toFixed(2)),
  };
}

function format(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2);
}

function row(area: string, r: BenchResult): string {
  const ratio = `${r.ratio.toFixed(2)}x`;
  const target = r.target === undefined ? "" : `<= ${String(r.target)}x ${r.ratio <= r.target ? "met" : "MISSED"}`;
  const rounds = r.spread ? `; rounds ${r.spread[0].toFixed(2)}-${r.spread[1].toFixed(2)}x` : "";
  const figures = `${format(r.value)} ${r.unit} vs ${format(r.baseline.value)} (${r.baseline.name})${rounds}`;
  return `${area.padEnd(17)} ${r.name.padEnd(66)} ${ratio.padStart(8)}  ${target.padEnd(15)} ${figures}\n`;
}

const json = process.argv.includes("--json");
const only = process.argv.slice(2).filter((a) => a !== "--json");
const startMachine = machine();
const date = new Date().toISOString();
const figures: Array<BenchResult & { area: string }> = [];
if (!json) {
  process.stdout.write(
    `ratio = our cost / the baseline's (time per operation, wall time or memory), both measured in this run\n`,
  );
  process.stdout.write(
    `${"area".padEnd(17)} ${"figure".padEnd(66)} ${"ratio".padStart(8)}  ${"target".padEnd(15)} absolute\n`,
  );
}
for (const [area, load] of Object.entries(areas)) {
  if (only.length && !only.some((o) => area.includes(o))) continue;
  process.stderr.write(`running ${area}…\n`);
  for (const r of await (await load()).default()) {
    figures.push({ area, ...r });
    if (!json) process.stdout.write(row(area, r));
  }
}
const end = machine();
if (json) {
  process.stdout.write(
    `${JSON.stringify({ date, machine: { ...startMachine, loadAverageAtEnd: end.loadAverage }, figures }, null, 2)}\n`,
  );
} else {
  process.stdout.write(
    `machine: ${startMachine.cpu}, ${startMachine.cores} cores, Node ${startMachine.node}; 1-min load ${startMachine.loadAverage} at start, ${end.loadAverage} at end; ${date}\n`,
  );
}
