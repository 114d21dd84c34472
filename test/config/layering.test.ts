import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/util/package-root.js";

// `from "x"`, a bare `import "x"` and a dynamic `import("x")`.
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(?\s*)["']([^"']+)["']/g;

/** Every relative import of the TypeScript files in `dir`, as `file: target` resolved from the repo root. */
function importsOf(dir: string): string[] {
  const root = packageRoot();
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(root, dir))) {
    if (!name.endsWith(".ts")) continue;
    const text = fs.readFileSync(path.join(root, dir, name), "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const target = m[1] ?? "";
      if (target.startsWith(".")) out.push(`${name}: ${path.posix.join(dir, target)}`);
    }
  }
  return out;
}

describe("layering", () => {
  it("config loads without the model catalog or the credential layer: models and auth depend on config, never the reverse", () => {
    const upward = importsOf("src/config").filter((i) => /: src\/(models|auth)\//.test(i));
    expect(upward).toEqual([]);
  });
});
