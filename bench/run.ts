import type { Bench } from "./result.js";

// Each area owns one module; `npm run bench` runs them in turn, one process, and prints a table.
const modules: Record<string, () => Promise<{ default: Bench }>> = {
  "npm start": () => import("./npm-start.js"),
  "cli cold start": () => import("./cli-cold-start.js"),
  resolver: () => import("./resolver.js"),
  "model plugin": () => import("./model-plugin.js"),
  sessions: () => import("./sessions.js"),
  telegram: () => import("./telegram.js"),
  discord: () => import("./discord.js"),
  providers: () => import("./providers.js"),
};

function format(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2);
}

const only = process.argv.slice(2);
for (const [area, load] of Object.entries(modules)) {
  if (only.length && !only.some((o) => area.includes(o))) continue;
  process.stderr.write(`running ${area}…\n`);
  const results = await (await load()).default();
  for (const r of results) {
    process.stdout.write(`${area.padEnd(16)} ${r.name.padEnd(58)} ${format(r.value).padStart(12)} ${r.unit.padEnd(8)} ${r.target ?? ""}\n`);
  }
}
