import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/models/catalog.js";
import { findOpenClaw } from "./openclaw-runtime.js";

// Against the published OpenClaw release the interop suite installs (see openclaw-runtime.ts).
const install = findOpenClaw();
const inCi = process.env.CI === "true" || process.env.CI === "1";
if (!install.ok && !inCi) console.warn(`prices interop test skipped: ${install.why}`);

interface ManifestModel {
  id: string;
  cost?: { input: number; output: number; cacheRead: number; cacheWrite: number };
}

/** The models a provider manifest of the installed OpenClaw publishes, by id. */
function published(dir: string, provider: string): Map<string, ManifestModel> {
  const file = path.join(dir, "node_modules", "openclaw", "dist", "extensions", provider, "openclaw.plugin.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as {
    modelCatalog?: { providers?: Record<string, { models?: ManifestModel[] }> };
  };
  const models = manifest.modelCatalog?.providers?.[provider]?.models ?? [];
  return new Map(models.map((m) => [m.id, m]));
}

describe.skipIf(!install.ok && !inCi)("built-in prices against OpenClaw's provider manifests", () => {
  it("carries each published flat price, and none where OpenClaw publishes none", () => {
    if (!install.ok) throw new Error(install.why);
    const catalog = buildCatalog({});
    for (const provider of ["anthropic", "openai", "openrouter"]) {
      const theirs = published(install.dir, provider);
      for (const model of catalog.providers.get(provider)?.models ?? []) {
        const cost = theirs.get(model.id)?.cost;
        const expected = cost
          ? { input: cost.input, output: cost.output, cacheRead: cost.cacheRead, cacheWrite: cost.cacheWrite }
          : undefined;
        expect({ ref: model.ref, cost: model.cost }).toEqual({ ref: model.ref, cost: expected });
      }
    }
  });
});
