import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FOLDER_RULES, PACKAGE_RULES } from "./folder-rules.js";
import { forbiddenImports, importCycles, scanImports, unresolvedImports } from "./import-graph.js";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

/** A source tree in a temp dir: path → file text. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-imports-"));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const ALLOWED = {
  "src/util/clock.ts": "export const now = () => 0;\n",
  "src/sessions/lease.ts": 'import { now } from "../util/clock.js";\nexport interface LeaseStore { at: typeof now }\n',
  "src/auth/cooldowns.ts": 'import { now } from "../util/clock.js";\nexport const t = now;\n',
  "plugins/model/status.ts":
    'import { t } from "../../src/auth/cooldowns.js";\nimport { z } from "zod";\nexport { t, z };\n',
};

describe("the import check on a source tree", () => {
  it("passes a tree whose imports all follow the rules", () => {
    const graph = scanImports(tree(ALLOWED), ["src", "plugins"]);
    expect(graph.edges).toHaveLength(4);
    expect(forbiddenImports(graph, FOLDER_RULES, PACKAGE_RULES)).toEqual([]);
    expect(importCycles(graph)).toEqual([]);
    expect(unresolvedImports(graph)).toEqual([]);
  });

  it("names the file, line and target of every import across a forbidden boundary, whatever its form", () => {
    const root = tree({
      ...ALLOWED,
      "src/auth/refresh-lock.ts":
        '// import "../channels/bot.js" in a comment is no import\nimport type { LeaseStore } from "../sessions/lease.js";\nexport type L = LeaseStore;\n',
      "src/channels/bot.ts": "const text = 'import(\"../plugins/none.js\")';\nexport { text };\n",
      "plugins/auth-monitor/health.ts": 'export { t } from "../../src/chat/text.js";\n',
      "plugins/auth-monitor/lazy.ts": 'export const load = () => import("../../src/cli/recovery.js");\n',
      "plugins/auth-monitor/sdk.ts":
        'import { Bot } from "grammy";\nimport type { Update } from "grammy/types";\nexport type B = [Bot, Update];\n',
      "src/gateway/host.ts": 'export type Bot = typeof import("../channels/bot.js");\n',
      "src/chat/text.ts": "export const t = 1;\n",
      "src/cli/recovery.ts": "export const r = 1;\n",
    });
    expect(forbiddenImports(scanImports(root, ["src", "plugins"]), FOLDER_RULES, PACKAGE_RULES)).toEqual([
      "src/auth/refresh-lock.ts:2 imports src/sessions/lease.ts: auth → sessions is forbidden (auth declares its ports (cooldowns, leases), stores implement them)",
      "src/gateway/host.ts:1 imports src/channels/bot.ts: gateway → channels is forbidden (the host knows chat by its interface; wiring is app/'s)",
      "plugins/auth-monitor/health.ts:1 imports src/chat/text.ts: plugins → chat is forbidden (plugins share wording through auth/, never through the CLI or chat)",
      "plugins/auth-monitor/lazy.ts:1 imports src/cli/recovery.ts: plugins → cli is forbidden (plugins share wording through auth/, never through the CLI or chat)",
      "plugins/auth-monitor/sdk.ts:1 imports grammy: plugins → grammy is forbidden (plugins never import grammY or discord.js; stores know no chat SDK)",
      "plugins/auth-monitor/sdk.ts:2 imports grammy/types: plugins → grammy is forbidden (plugins never import grammY or discord.js; stores know no chat SDK)",
    ]);
  });

  it("reports each circle of imports as one cycle, type-only and dynamic imports included", () => {
    const root = tree({
      ...ALLOWED,
      "src/cli/doctor.ts": 'import { keys } from "./doctor-keys.js";\nexport interface Finding { k: typeof keys }\n',
      "src/cli/doctor-keys.ts": 'import { creds } from "./doctor-creds.js";\nexport const keys = creds;\n',
      "src/cli/doctor-creds.ts": 'import type { Finding } from "./doctor.js";\nexport const creds: Finding[] = [];\n',
      "src/app/run.ts": 'export const chat = () => import("../chat/responder.js");\n',
      "src/chat/responder.ts": 'import { chat } from "../app/run.js";\nexport { chat };\n',
      "src/util/self.ts": 'import * as me from "./self.js";\nexport { me };\n',
    });
    expect(importCycles(scanImports(root, ["src", "plugins"]))).toEqual([
      "src/app/run.ts → src/chat/responder.ts → src/app/run.ts",
      "src/cli/doctor-creds.ts → src/cli/doctor.ts → src/cli/doctor-keys.ts → src/cli/doctor-creds.ts",
      "src/util/self.ts → src/util/self.ts",
    ]);
  });

  it("fails on a relative import that names no file, since it cannot judge it", () => {
    const root = tree({ ...ALLOWED, "src/gateway/host.ts": 'import { x } from "./gone.js";\nexport { x };\n' });
    expect(unresolvedImports(scanImports(root, ["src", "plugins"]))).toEqual([
      "src/gateway/host.ts:1 imports ./gone.js, which names no file",
    ]);
  });
});
