import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { requireBuild } from "../support/cli.js";

const areas = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/bench/areas.js");

describe("npm run bench", () => {
  // An area that imports test code registering vitest hooks dies at load outside vitest, and
  // `npm run bench` stops there.
  it("loads every area outside vitest", () => {
    requireBuild();
    const script = `
      const { areas } = await import(${JSON.stringify(areas)});
      for (const [name, load] of Object.entries(areas)) {
        const m = await load();
        if (typeof m.default !== "function") throw new Error(name + " exports no bench");
      }
      console.log(Object.keys(areas).length);`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(Number(out.trim())).toBeGreaterThanOrEqual(10);
  });
});
