import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLIENTS = new Set(["src/providers/anthropic.ts", "src/providers/openai-compatible.ts"]);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(rel));
    else if (entry.name.endsWith(".ts")) out.push(rel);
  }
  return out;
}

// The CLI's cold start must not pay for the SDKs: only the two client modules import them, and
// those are only ever reached through `await import(...)`.
describe("provider SDKs load lazily", () => {
  const files = [...sources("src"), ...(fs.existsSync(path.join(ROOT, "plugins")) ? sources("plugins") : [])];

  it("only the client modules import @anthropic-ai/sdk or openai", () => {
    const offenders = files.filter(
      (f) =>
        !CLIENTS.has(f) &&
        /from\s+["'](@anthropic-ai\/sdk|openai)(\/[^"']*)?["']/.test(fs.readFileSync(path.join(ROOT, f), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("nothing imports the client modules statically", () => {
    // `import type` is erased at compile time and costs nothing; `await import()` is the way in.
    const staticImport = /^\s*import\s+(?!type\s)[^;]*from\s+["'][^"']*\/(anthropic|openai-compatible)\.js["']/m;
    const offenders = files.filter((f) => staticImport.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
