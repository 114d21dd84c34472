/**
 * `models set`, `models aliases`, `models fallbacks`, `models list` with and without `--all`, and
 * the `models` status aliases, run in-process on a sandbox. The files they write are compared with
 * what OpenClaw writes in test/interop/openclaw.test.ts; here they are read as a user would.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { removeSandboxes, sandbox, type Sandbox } from "./support.js";

afterAll(removeSandboxes);

function withConfig(config: unknown): Sandbox {
  const sb = sandbox();
  sb.writeConfig(config);
  return sb;
}

describe("openclaw models set", () => {
  it("writes agents.defaults.model as { primary } with its fallbacks kept, an alias as the model it names", async () => {
    const sb = withConfig(
      `// a JSON5 file with a comment and a key of OpenClaw's we do not read
      { agents: { defaults: { model: { primary: "anthropic/claude-opus-5-5", fallbacks: ["haiku"] } } }, ui: { seamColor: "#ff0000" } }`,
    );
    const r = await sb.run(["models", "set", "sonnet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `Default model: anthropic/claude-sonnet-5-5 (alias sonnet)\nSaved agents.defaults.model.primary in ${sb.configPath}.\n`,
    );
    expect(sb.readConfig()).toEqual({
      agents: {
        defaults: {
          model: { primary: "anthropic/claude-sonnet-5-5", fallbacks: ["haiku"] },
          models: { "anthropic/claude-sonnet-5-5": {} },
        },
      },
      ui: { seamColor: "#ff0000" },
    });
    expect((await sb.run(["models", "status", "--json"])).stdout).toContain('"ref": "anthropic/claude-sonnet-5-5"');
  });

  it("turns a string setting into { primary }; a model the catalog lacks is saved with a note", async () => {
    const sb = withConfig({ agents: { defaults: { model: "anthropic/claude-opus-5-5" } } });
    const r = await sb.run(["models", "set", "anthropic/claude-sonnet-9-9"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("note: anthropic/claude-sonnet-9-9 is not in the catalog");
    expect(sb.readConfig().agents.defaults).toEqual({
      model: { primary: "anthropic/claude-sonnet-9-9" },
      models: { "anthropic/claude-sonnet-9-9": {} },
    });
  });

  it("reads a bare id in no catalog, and no near miss, with the default model's provider, as /model does", async () => {
    const sb = withConfig({ agents: { defaults: { model: "openai/gpt-5" } } });
    const r = await sb.run(["models", "set", "claude-3-5-sonnet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "note: openai/claude-3-5-sonnet is not in the catalog: the bare id was read with the default provider, openai;",
    );
    expect(sb.readConfig().agents.defaults.model).toEqual({ primary: "openai/claude-3-5-sonnet" });
  });

  it("refuses an unknown provider, a bare id that is a near miss and --agent, and changes nothing", async () => {
    const sb = withConfig({ agents: { defaults: { model: "anthropic/claude-opus-5-5" } } });
    const before = fs.readFileSync(sb.configPath, "utf8");
    const [provider, bare, agent, agentFirst] = await Promise.all([
      sb.run(["models", "set", "anthropc/claude-opus-5-5"]),
      sb.run(["models", "set", "sonet"]),
      sb.run(["models", "set", "opus", "--agent", "main"]),
      sb.run(["models", "--agent", "main", "set", "opus"]),
    ]);
    expect(provider.code).toBe(1);
    expect(provider.stderr).toContain(
      'error: Unknown provider "anthropc" in anthropc/claude-opus-5-5; nothing was changed.',
    );
    expect(provider.stderr).toContain("Did you mean anthropic?");
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('error: Unknown model "sonet". Nothing was changed.');
    expect(bare.stderr).toContain("`sonnet`");
    for (const r of [agent, agentFirst]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("takes no --agent. Nothing was changed.");
    }
    expect(fs.readFileSync(sb.configPath, "utf8")).toBe(before);
  });
});

describe("openclaw models aliases", () => {
  it("add puts the alias on the model's entry, repoints through an alias and replaces the model's former alias", async () => {
    const sb = withConfig({});
    expect((await sb.run(["models", "aliases", "add", "fast", "anthropic/claude-haiku-5-5"])).code).toBe(0);
    const again = await sb.run(["models", "aliases", "add", "quick", "fast"]);
    expect(again.stdout).toContain("Alias quick → anthropic/claude-haiku-5-5 (replaces fast)");
    expect(sb.readConfig().agents.defaults.models).toEqual({ "anthropic/claude-haiku-5-5": { alias: "quick" } });
    expect((await sb.run(["models", "set", "quick"])).stdout).toContain("Default model: anthropic/claude-haiku-5-5");
  });

  it("refuses an alias another model has (in any case), a name with a space and --agent", async () => {
    const sb = withConfig({ agents: { defaults: { models: { "anthropic/claude-haiku-5-5": { alias: "fast" } } } } });
    const before = fs.readFileSync(sb.configPath, "utf8");
    const [taken, invalid, agent] = await Promise.all([
      sb.run(["models", "aliases", "add", "FAST", "opus"]),
      sb.run(["models", "aliases", "add", "my fast", "opus"]),
      sb.run(["models", "aliases", "add", "x", "opus", "--agent", "main"]),
    ]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(
      "error: The alias fast already names anthropic/claude-haiku-5-5; nothing was changed.",
    );
    expect(taken.stderr).toContain("hint: Remove it first: openclaw models aliases remove fast");
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('"my fast" cannot be an alias');
    expect(agent.code).toBe(1);
    expect(fs.readFileSync(sb.configPath, "utf8")).toBe(before);
  });

  it("remove keeps the model's entry; an unknown or built-in alias is an error", async () => {
    const sb = withConfig({
      agents: {
        defaults: { models: { "anthropic/claude-haiku-5-5": { alias: "fast", params: { temperature: 0.2 } } } },
      },
    });
    const r = await sb.run(["models", "aliases", "remove", "FAST"]);
    expect(r.stdout).toContain("Removed alias FAST (it named anthropic/claude-haiku-5-5).");
    expect(sb.readConfig().agents.defaults.models).toEqual({
      "anthropic/claude-haiku-5-5": { params: { temperature: 0.2 } },
    });
    const [missing, builtin] = await Promise.all([
      sb.run(["models", "aliases", "remove", "fast"]),
      sb.run(["models", "aliases", "remove", "opus"]),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error: No configured alias "fast"; nothing was changed.');
    expect(builtin.stderr).toContain("opus is a built-in alias of anthropic/claude-opus-5-5");
  });

  it("list shows configured aliases then built-in ones; --json and --plain as OpenClaw's", async () => {
    const sb = withConfig({ agents: { defaults: { models: { "anthropic/claude-haiku-5-5": { alias: "opus" } } } } });
    const [text, json, plain] = await Promise.all([
      sb.run(["models", "aliases", "list"]),
      sb.run(["models", "aliases", "list", "--json"]),
      sb.run(["models", "aliases", "list", "--plain"]),
    ]);
    expect(text.stdout).toMatch(
      /^Aliases \(1 configured, 6 built-in\)\n {2}opus +anthropic\/claude-haiku-5-5 +configured\n/,
    );
    expect(text.stdout).toMatch(/sonnet +anthropic\/claude-sonnet-5-5 +built-in/);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.aliases).toEqual({ opus: "anthropic/claude-haiku-5-5" });
    expect(parsed.builtin.opus).toBeUndefined();
    expect(plain.stdout).toBe("opus anthropic/claude-haiku-5-5\n");
  });
});

describe("openclaw models fallbacks", () => {
  it("add appends the model an alias names once; remove takes it out by alias; clear leaves []", async () => {
    const sb = withConfig({ agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } } });
    expect((await sb.run(["models", "fallbacks", "add", "opus"])).stdout).toBe(
      `Fallback chain: anthropic/claude-opus-5-5\nSaved agents.defaults.model.fallbacks in ${sb.configPath}.\n`,
    );
    await sb.run(["models", "fallbacks", "add", "openai/gpt-5.4"]);
    await sb.run(["models", "fallbacks", "add", "anthropic/claude-opus-5-5"]);
    expect(sb.readConfig().agents.defaults).toEqual({
      model: { primary: "anthropic/claude-sonnet-5-5", fallbacks: ["anthropic/claude-opus-5-5", "openai/gpt-5.4"] },
      models: { "anthropic/claude-opus-5-5": {}, "openai/gpt-5.4": {} },
    });
    const [list, json, plain] = await Promise.all([
      sb.run(["models", "fallbacks", "list"]),
      sb.run(["models", "fallbacks", "list", "--json"]),
      sb.run(["models", "fallbacks", "list", "--plain"]),
    ]);
    expect(list.stdout).toBe(
      "Fallbacks (2), agents.defaults.model.fallbacks:\n  1. anthropic/claude-opus-5-5\n  2. openai/gpt-5.4\n",
    );
    expect(JSON.parse(json.stdout)).toEqual({ fallbacks: ["anthropic/claude-opus-5-5", "openai/gpt-5.4"] });
    expect(plain.stdout).toBe("anthropic/claude-opus-5-5\nopenai/gpt-5.4\n");

    expect((await sb.run(["models", "fallbacks", "remove", "opus"])).stdout).toContain(
      "Fallback chain: openai/gpt-5.4\n",
    );
    const missing = await sb.run(["models", "fallbacks", "remove", "opus"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error: opus is not in agents.defaults.model.fallbacks; nothing was changed.");
    expect(missing.stderr).toContain("hint: The list: openai/gpt-5.4.");
    expect((await sb.run(["models", "fallbacks", "clear"])).stdout).toContain("Fallback chain: none\n");
    expect(sb.readConfig().agents.defaults.model).toEqual({ primary: "anthropic/claude-sonnet-5-5", fallbacks: [] });
    const agent = await sb.run(["models", "fallbacks", "clear", "--agent", "main"]);
    expect(agent.code).toBe(1);
  });

  it("notes a fallback that is the primary itself, and lists it as skipped", async () => {
    const sb = withConfig({ agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } } });
    const r = await sb.run(["models", "fallbacks", "add", "sonnet"]);
    expect(r.stderr).toContain("note: anthropic/claude-sonnet-5-5 is also the default model");
    expect((await sb.run(["models", "fallbacks", "list"])).stdout).toContain(
      "1. anthropic/claude-sonnet-5-5  (the primary itself: skipped)",
    );
  });
});

describe("openclaw models list", () => {
  it("shows the configured models with their tags; --all and --provider the catalog", async () => {
    const sb = withConfig({
      agents: {
        defaults: {
          model: { primary: "sonnet", fallbacks: ["anthropic/claude-next-1"] },
          models: { "openai/gpt-5.4": { alias: "g" } },
        },
      },
    });
    const [text, plain, json, all, provider] = await Promise.all([
      sb.run(["models", "list"]),
      sb.run(["models", "list", "--plain"]),
      sb.run(["models", "list", "--json"]),
      sb.run(["models", "list", "--all", "--plain"]),
      sb.run(["models", "list", "--provider", "openai", "--plain"]),
    ]);
    expect(text.stdout).toMatch(/anthropic\/claude-sonnet-5-5 +Claude Sonnet 5\.5 +200k ctx +default · alias sonnet/);
    expect(text.stdout).toMatch(/anthropic\/claude-next-1 +fallback #1 · not in the catalog/);
    expect(text.stdout).toContain("Configured models only; --all lists the whole catalog");
    expect(plain.stdout).toBe("anthropic/claude-sonnet-5-5\nanthropic/claude-next-1\nopenai/gpt-5.4\n");
    const parsed = JSON.parse(json.stdout);
    expect(parsed.count).toBe(3);
    expect(parsed.models[0]).toEqual({
      key: "anthropic/claude-sonnet-5-5",
      name: "Claude Sonnet 5.5",
      contextWindow: 200_000,
      available: false,
      tags: ["default", "alias:sonnet"],
    });
    expect(parsed.models[2].tags).toEqual(["configured", "alias:gpt", "alias:g"]);
    expect(all.stdout.split("\n")).toEqual(
      expect.arrayContaining(["anthropic/claude-opus-5-5", "openai/gpt-5.4-mini"]),
    );
    expect(
      provider.stdout
        .split("\n")
        .filter(Boolean)
        .every((l) => l.startsWith("openai/")),
    ).toBe(true);
    expect(provider.stdout).toContain("openai/gpt-5.4-mini");
  });
});

describe("openclaw models alone", () => {
  it("is models status; --json, --status-json and --status-plain are its flags", async () => {
    const sb = withConfig({});
    const [bare, status, json, statusJson, statusPlain, plain] = await Promise.all([
      sb.run(["models"]),
      sb.run(["models", "status"]),
      sb.run(["models", "--json"]),
      sb.run(["models", "--status-json"]),
      sb.run(["models", "--status-plain"]),
      sb.run(["models", "status", "--plain"]),
    ]);
    expect(bare.stdout).toBe(status.stdout);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(statusJson.stdout));
    expect(JSON.parse(json.stdout).defaultModel.ref).toBe("anthropic/claude-sonnet-5-5");
    expect(statusPlain.stdout).toBe(plain.stdout);
    expect(statusPlain.stdout).toMatch(/^config\t/);
  });
});
