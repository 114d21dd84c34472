import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FOLDER_RULES, FOLDERS, PACKAGE_RULES } from "./folder-rules.js";
import { forbiddenImports, importCycles, scanImports, unresolvedImports } from "./import-graph.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const graph = scanImports(ROOT, ["src", "plugins"]);

// Each expectation lists the offending file, line and import, so a red run says what to move.
describe("the folder plan of DESIGN section 1", () => {
  it("has no import it forbids, type-only and dynamic ones included", () => {
    expect(forbiddenImports(graph, FOLDER_RULES, PACKAGE_RULES)).toEqual([]);
  });

  it("has no files that import each other in a circle", () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it("has no relative import the check cannot follow", () => {
    expect(unresolvedImports(graph)).toEqual([]);
  });

  it("names only folders that exist, so no rule is silently dead", () => {
    const named = new Set([...FOLDER_RULES.flatMap((r) => [r.from, ...r.to]), ...PACKAGE_RULES.flatMap((r) => r.from)]);
    const existing = [...fs.readdirSync(path.join(ROOT, "src")), "plugins"];
    expect([...named].filter((f) => !existing.includes(f))).toEqual([]);
    expect(FOLDERS.filter((f) => !existing.includes(f))).toEqual([]);
    expect(graph.files.length).toBeGreaterThan(100);
  });
});
