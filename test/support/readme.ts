import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./cli.js";

/**
 * What the README shows after the line `typed` (a `$ openclaw …` or `> /command` line): the lines
 * up to the end of its code block or the next typed line. Tests compare it with the real output,
 * so the README's examples cannot go stale.
 */
export function readmeOutput(typed: string): string[] {
  const lines = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").split("\n");
  const start = lines.indexOf(typed);
  if (start < 0) throw new Error(`README.md has no line ${JSON.stringify(typed)}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l === "```" || l.startsWith("$ ") || l.startsWith("> "));
  return end < 0 ? rest : rest.slice(0, end);
}
