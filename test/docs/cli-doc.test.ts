/**
 * docs/cli.md is checked against the real CLI, so it cannot go stale again. Every code block in it
 * is preceded by a marker comment:
 *
 * - `<!-- synopsis -->`: lines `openclaw <command> [flags…]`; every flag must exist in that
 *   command's `--help`, and every flag in `--help` must appear in one of the command's lines.
 * - `<!-- example: <scenario> -->`: `$ openclaw …` commands, each followed by its output. The
 *   commands run in order in one sandbox prepared as the scenario says; the output must match
 *   after paths, masked key endings, ISO dates and remaining milliseconds are normalised. A `...`
 *   line stands for any lines; `[exit N]` is the exit code (checked when given).
 *
 * A block without a marker fails the test, so a new example is checked from the day it is added.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.js";
import { startFakeOAuthProvider, type FakeOAuthProvider } from "../fakes/oauth-provider.js";
import { recordInState, spendUpTo } from "../support/ledger.js";
import {
  apiKey,
  DAY,
  HOUR,
  removeSandboxes,
  requireBuild,
  sandbox,
  setupToken,
  type RunResult,
  type Sandbox,
} from "../cli/support.js";

afterAll(removeSandboxes);

/** OpenAI's login server for the `login` scenario, on loopback; its address reads as OpenAI's in the docs. */
let oauth: FakeOAuthProvider | undefined;
beforeAll(async () => {
  oauth = await startFakeOAuthProvider();
});
afterAll(() => oauth?.close());

/**
 * The day the examples were recorded. Commands see this time, so "retires" and "retired on" in the
 * examples keep their meaning after the real date passes a retirement date.
 */
const NOW = Date.UTC(2026, 10, 25, 13, 36);
beforeAll(requireBuild); // the setup-token example runs under a terminal, as the built binary

/** One fenced block of docs/cli.md and the marker before it. */
interface Block {
  readonly line: number;
  readonly marker: string | undefined;
  readonly lines: readonly string[];
}

function blocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "```") continue;
    const end = lines.indexOf("```", i + 1);
    const before = lines
      .slice(0, i)
      .reverse()
      .find((l) => l.trim() !== "");
    const marker = /^<!-- (.+) -->$/.exec(before ?? "")?.[1];
    out.push({ line: i + 1, marker, lines: lines.slice(i + 1, end) });
    i = end;
  }
  return out;
}

/** A sandbox laid out as one of the documented set-ups, and the files its commands redirect from. */
interface Scenario {
  readonly sb: Sandbox;
  readonly inputs: Readonly<Record<string, string>>;
  readonly env?: NodeJS.ProcessEnv;
  /** Addresses of loopback fakes, written in the docs as the real service's. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Settles once the sandbox holds what the scenario writes through the app (the usage ledger). */
  readonly ready?: Promise<void>;
}

const SCENARIOS: Record<string, () => Scenario> = {
  /** Nothing stored yet; `pbpaste` holds a setup-token, `key.txt` an API key. */
  fresh: () => ({ sb: sandbox(), inputs: { pbpaste: `${setupToken()}\n`, "key.txt": `${apiKey()}\n` } }),
  /** Nothing stored; our settings send OpenAI's login to a loopback fake that approves at once. */
  login: () => {
    const sb = sandbox();
    if (!oauth) throw new Error("the fake login server has not started");
    sb.writeOwnConfig({ models: { providers: { openai: { oauth: oauth.settings } } } });
    return { sb, inputs: {}, aliases: { [oauth.origin]: "https://auth.openai.com" } };
  },
  /** The state dir is a path no one can create. */
  unwritable: () => ({
    sb: sandbox(),
    inputs: { "key.txt": `${apiKey()}\n` },
    env: { OPENCLAW_STATE_DIR: "/proc/nope" },
  }),
  /** A config with a wrong type in it. */
  invalid: () => {
    const sb = sandbox();
    sb.writeConfig(`{ agents: { list: [{ id: 7 }] } }`);
    return { sb, inputs: {} };
  },
  /** Ada: an Anthropic setup-token and API key stored with paste-*, and an OpenAI key exported in her shell. */
  ada: () => {
    const sb = sandbox();
    sb.writeConfig({
      auth: {
        profiles: {
          "anthropic:manual": { provider: "anthropic", mode: "token" },
          "anthropic:work": { provider: "anthropic", mode: "api_key" },
        },
      },
    });
    sb.writeProfiles({
      version: 1,
      profiles: {
        "anthropic:manual": { type: "token", provider: "anthropic", token: setupToken(), expires: NOW + 365 * DAY },
        "anthropic:work": { type: "api_key", provider: "anthropic", key: apiKey() },
      },
    });
    return { sb, inputs: {}, env: { OPENAI_API_KEY: apiKey("sk-proj-") } };
  },
  /** Ada's Anthropic profiles, and an OpenAI key stored with paste-api-key. */
  team: () => {
    const sb = sandbox();
    sb.writeConfig({ auth: { profiles: { "openai:manual": { provider: "openai", mode: "api_key" } } } });
    sb.writeProfiles({
      version: 1,
      profiles: {
        "anthropic:manual": { type: "token", provider: "anthropic", token: setupToken(), expires: NOW + 365 * DAY },
        "anthropic:work": { type: "api_key", provider: "anthropic", key: apiKey() },
        "openai:manual": { type: "api_key", provider: "openai", key: apiKey("sk-proj-") },
      },
    });
    return { sb, inputs: {} };
  },
  /** Bob: Opus by default, a key, a token expiring in 5 h and one that expired 2 days ago. */
  bob: () => {
    const sb = sandbox();
    sb.writeConfig({ agents: { defaults: { model: "anthropic/claude-opus-5-5" } } });
    sb.writeProfiles({
      version: 1,
      profiles: {
        "anthropic:manual": { type: "api_key", provider: "anthropic", key: apiKey() },
        "anthropic:laptop": { type: "token", provider: "anthropic", token: setupToken(), expires: NOW + 5 * HOUR },
        "anthropic:old": { type: "token", provider: "anthropic", token: setupToken(), expires: NOW - 2 * DAY },
      },
    });
    return { sb, inputs: {} };
  },
  /** A month of recorded turns in the usage ledger (test/support/ledger.ts), up to the docs' day. */
  spend: () => {
    const sb = sandbox();
    fs.mkdirSync(path.join(sb.state, "agents", "work"), { recursive: true });
    return { sb, inputs: {}, ready: recordInState(sb.state, spendUpTo(NOW)) };
  },
  /** A config left 0644, an OpenAI key only in the shell, and a key in the working directory's .env. */
  doctor: () => {
    const sb = sandbox();
    sb.writeConfig({}, 0o644);
    sb.writeProfiles({
      version: 1,
      profiles: { "anthropic:work": { type: "api_key", provider: "anthropic", key: apiKey() } },
    });
    fs.writeFileSync(path.join(sb.cwd, ".env"), `ANTHROPIC_API_KEY=${apiKey()}\n`, { mode: 0o600 });
    return { sb, inputs: {}, env: { OPENAI_API_KEY: apiKey("sk-proj-") } };
  },
};

/** Volatile parts replaced by placeholders: where the state lives, key endings, dates, remaining time. */
function normalise(text: string, sb?: Sandbox): string {
  let t = text;
  if (sb) t = t.split(sb.state).join("/STATE").split(sb.cwd).join("/CWD").split(sb.home).join("/HOME");
  return t
    .replace(/\/home\/(ada|bob)\/\.openclaw/g, "/STATE")
    .replace(/\/home\/(ada|bob)\/bot/g, "/CWD")
    .replace(/…[A-Za-z0-9_-]{4}/g, "…XXXX")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<ISO>")
    .replace(/"remainingMs": \d+/g, '"remainingMs": <N>')
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n");
}

/** Whether `actual` matches `expected`, where a `...` line in `expected` stands for any lines. */
function matches(expected: readonly string[], actual: readonly string[]): boolean {
  const [first, ...rest] = expected;
  if (first === undefined) return actual.length === 0;
  if (first.trim() === "...") {
    for (let skip = 0; skip <= actual.length; skip++) if (matches(rest, actual.slice(skip))) return true;
    return false;
  }
  return actual[0] === first && matches(rest, actual.slice(1));
}

/** A documented command line: the arguments, the input it redirects from, and a `jq` path to apply. */
function parseCommand(
  line: string,
  inputs: Readonly<Record<string, string>>,
): { args: string[]; input?: string; jq?: string } {
  let rest = line.slice(2);
  let input: string | undefined;
  const piped = /^(\S+) \| (.*)$/.exec(rest);
  if (piped?.[1] && piped[2] !== undefined && !piped[1].startsWith("openclaw")) {
    input = inputs[piped[1]];
    rest = piped[2];
  }
  const jq = /^(.*) \| jq '([^']+)'$/.exec(rest);
  if (jq?.[1] !== undefined) rest = jq[1];
  const redirect = /^(.*) < (\S+)$/.exec(rest);
  if (redirect?.[1] !== undefined && redirect[2] !== undefined) {
    rest = redirect[1];
    input = redirect[2] === "/dev/null" ? "" : inputs[redirect[2]];
  }
  const words = rest.split(" ");
  expect(words[0], line).toBe("openclaw");
  return {
    args: words.slice(1),
    ...(input !== undefined ? { input } : {}),
    ...(jq?.[2] !== undefined ? { jq: jq[2] } : {}),
  };
}

/** `.auth.oauth` of the parsed output, printed as jq prints it. */
function applyJq(stdout: string, expr: string): string {
  let value: unknown = JSON.parse(stdout);
  for (const key of expr.split(".").filter(Boolean)) value = (value as Record<string, unknown>)[key];
  return JSON.stringify(value, null, 2);
}

async function runExample(block: Block, scenarioName: string): Promise<void> {
  const make = SCENARIOS[scenarioName];
  if (!make) throw new Error(`docs/cli.md:${block.line}: unknown scenario "${scenarioName}"`);
  const scenario = make();
  await scenario.ready;
  const commands: { line: string; expected: string[] }[] = [];
  for (const l of block.lines) {
    if (l.startsWith("$ ")) commands.push({ line: l, expected: [] });
    else commands.at(-1)?.expected.push(l);
  }
  expect(commands.length, `docs/cli.md:${block.line} has no $ command`).toBeGreaterThan(0);
  for (const { line, expected } of commands) {
    while (expected.at(-1) === "") expected.pop();
    const exit = /^\[exit (\d+)\]$/.exec(expected.at(-1) ?? "");
    if (exit) expected.pop();
    const { args, input, jq } = parseCommand(line, scenario.inputs);
    // setup-token must see a terminal to get past its first check, so it runs as the real binary.
    const tty = args.join(" ").startsWith("models auth setup-token") && input === undefined;
    const r: RunResult = await scenario.sb.run(args, {
      ...(input !== undefined ? { input } : {}),
      ...(scenario.env ? { env: scenario.env } : {}),
      ...(tty ? { tty } : { clock: () => NOW }),
    });
    const raw = jq !== undefined ? applyJq(r.stdout, jq) : `${r.stdout}${r.stderr}`;
    let text = raw.replace(/\r/g, "");
    for (const [from, to] of Object.entries(scenario.aliases ?? {})) text = text.split(from).join(to);
    const actual = normalise(text, scenario.sb).replace(/\n+$/, "").split("\n");
    const want = normalise(expected.join("\n")).split("\n");
    if (!matches(want, actual)) {
      throw new Error(
        `docs/cli.md:${block.line}: \`${line}\` printed (normalised):\n${actual.join("\n")}\n\nbut the docs say:\n${want.join("\n")}`,
      );
    }
    if (exit) expect(r.code, `${line}: exit code`).toBe(Number(exit[1]));
  }
}

/** Flags of one command as its `--help` lists them (without --help and --version). */
async function helpFlags(words: readonly string[]): Promise<Set<string>> {
  const r = await sandbox().run([...words, "--help"]);
  const flags = [...r.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1] ?? "");
  return new Set(flags.filter((f) => f !== "--help" && f !== "--version"));
}

const doc = fs.readFileSync(path.join(ROOT, "docs", "cli.md"), "utf8");
const all = blocks(doc);

describe("docs/cli.md", () => {
  it("marks every code block as a synopsis or an example with its scenario", () => {
    const unmarked = all
      .filter((b) => b.marker === undefined || !/^(synopsis|example: \S+)$/.test(b.marker))
      .map((b) => `docs/cli.md:${b.line}`);
    expect(unmarked).toEqual([]);
  });

  it("names, in each synopsis, exactly the flags the command's --help lists", async () => {
    const documented = new Map<string, Set<string>>();
    for (const b of all.filter((x) => x.marker === "synopsis")) {
      for (const l of b.lines) {
        // The command is every plain word after `openclaw`, up to the first flag or placeholder.
        const words = l.split(/\s+/).slice(1);
        const end = words.findIndex((w) => !/^[a-z-]+$/.test(w) || w.startsWith("-"));
        const command = words.slice(0, end < 0 ? words.length : end).join(" ");
        const flags = documented.get(command) ?? new Set<string>();
        for (const m of l.matchAll(/--[a-z][a-z-]*/g)) flags.add(m[0]);
        documented.set(command, flags);
      }
    }
    for (const [command, flags] of documented) {
      const real = await helpFlags(command.split(" "));
      expect([...flags].sort(), `openclaw ${command}`).toEqual([...real].sort());
    }
  });

  for (const b of all.filter((x) => x.marker?.startsWith("example: "))) {
    const scenario = b.marker?.slice("example: ".length) ?? "";
    it(`line ${b.line}: ${b.lines.find((l) => l.startsWith("$ "))?.slice(2) ?? "?"} (${scenario})`, () =>
      runExample(b, scenario));
  }
});
