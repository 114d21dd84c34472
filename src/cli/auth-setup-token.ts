import { spawn } from "node:child_process";
import { findOnPath } from "../util/find-on-path.js";
import { maskSecret } from "../util/mask.js";
import type { CliIo } from "./io.js";
import { openCliContext } from "./cli-context.js";
import { parseDuration } from "./duration.js";
import { ANTHROPIC_SETUP_TOKEN_PREFIX } from "./credential-shape.js";
import { knownProvider, saveCredential } from "./save-credential.js";
import { EXIT, fail } from "./errors.js";

/** Flags of `models auth setup-token`. */
export interface SetupTokenOptions {
  readonly provider?: string;
  readonly profileId?: string;
  readonly expiresIn?: string;
  readonly agent?: string;
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;
const TOKEN_CHARS = /^[A-Za-z0-9_-]+$/;

/**
 * Finds the `sk-ant-oat01-…` token in `claude setup-token` output. The terminal may have wrapped
 * it: lines right after it that hold nothing but token characters are part of it.
 */
export function extractSetupToken(output: string): string | undefined {
  const text = output.replace(ANSI, "").replace(/\r/g, "");
  const at = text.lastIndexOf(ANTHROPIC_SETUP_TOKEN_PREFIX);
  if (at < 0) return undefined;
  const lines = text.slice(at).split("\n");
  const first = /^[A-Za-z0-9_-]+/.exec(lines[0] ?? "")?.[0] ?? "";
  let token = first;
  if (first === (lines[0] ?? "").trimEnd()) {
    for (const line of lines.slice(1)) {
      const part = line.trim();
      if (part === "" || !TOKEN_CHARS.test(part)) break;
      token += part;
    }
  }
  return token;
}

/**
 * Shows a child's stdout while it arrives with any setup-token masked. A line that may still turn
 * into a token, and lines continuing a wrapped token, are held back until they are complete.
 */
export class MaskingTee {
  private pending = "";
  private inToken = false;
  constructor(private readonly write: (s: string) => void) {}

  push(chunk: string): void {
    this.pending += chunk;
    let nl: number;
    while ((nl = this.pending.indexOf("\n")) >= 0) {
      this.emitLine(this.pending.slice(0, nl + 1));
      this.pending = this.pending.slice(nl + 1);
    }
    const plain = this.pending.replace(ANSI, "");
    const mayBeToken = this.inToken || /sk-|sk$|s$/.test(plain);
    if (!mayBeToken && this.pending !== "") {
      this.write(this.pending);
      this.pending = "";
    }
  }

  end(): void {
    if (this.pending !== "") this.emitLine(this.pending);
    this.pending = "";
  }

  private emitLine(line: string): void {
    const plain = line.replace(ANSI, "").trim();
    if (this.inToken && plain !== "" && TOKEN_CHARS.test(plain)) return; // wrapped rest of a token
    this.inToken = false;
    const at = line.indexOf(ANTHROPIC_SETUP_TOKEN_PREFIX);
    if (at < 0) {
      this.write(line);
      return;
    }
    const run = /^[A-Za-z0-9_-]+/.exec(line.slice(at))?.[0] ?? "";
    this.inToken =
      line
        .slice(at + run.length)
        .replace(ANSI, "")
        .trim() === "";
    this.write(line.slice(0, at) + maskSecret(run) + line.slice(at + run.length));
  }
}

async function runClaudeSetupToken(io: CliIo, claude: string): Promise<string> {
  const child = spawn(claude, ["setup-token"], { stdio: ["inherit", "pipe", "inherit"], env: io.env, cwd: io.cwd });
  const tee = new MaskingTee((s) => void io.promptOutput.write(s));
  let captured = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    captured += chunk;
    tee.push(chunk);
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (c) => resolve(c ?? 1));
  });
  tee.end();
  const token = extractSetupToken(captured);
  if (token) io.rememberSecrets([token]);
  if (code !== 0) fail("setup_token_failed", `\`claude setup-token\` exited with code ${code}; nothing was stored.`);
  if (!token) {
    fail(
      "setup_token_not_found",
      "No sk-ant-oat01- token found in the output of `claude setup-token`; nothing was stored.",
      "If it printed one, store it with `openclaw models auth paste-token --provider anthropic`.",
    );
  }
  return token;
}

/**
 * `openclaw models auth setup-token --provider anthropic`: runs Claude Code's `claude setup-token`
 * (an interactive browser sign-in), captures the token it prints and stores it like paste-token.
 */
export async function runSetupToken(io: CliIo, opts: SetupTokenOptions): Promise<number> {
  if (!io.stdin.isTTY) {
    io.err("setup-token requires an interactive TTY.");
    io.err("In scripts, pipe the token instead: openclaw models auth paste-token --provider anthropic");
    return EXIT.problem;
  }
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    const provider = knownProvider(cli, opts.provider);
    if (provider !== "anthropic") {
      fail(
        "setup_token_provider",
        `setup-token is only available for anthropic, not ${provider}.`,
        `Use \`openclaw models auth paste-token --provider ${provider}\`.`,
      );
    }
    const ttl = opts.expiresIn !== undefined ? parseDuration(opts.expiresIn) : undefined;
    const claude = findOnPath("claude", io.env.PATH);
    if (!claude) {
      io.err("Claude Code (the `claude` command) is not on PATH.");
      io.err("Install it with: npm install -g @anthropic-ai/claude-code");
      io.err("Or run `claude setup-token` on any machine and store the token here with:");
      io.err("  openclaw models auth paste-token --provider anthropic");
      return EXIT.problem;
    }
    io.err(`Running ${claude} setup-token …`);
    const token = await runClaudeSetupToken(io, claude);
    await saveCredential(cli, {
      provider,
      type: "token",
      secret: token,
      profileId: opts.profileId,
      expires: ttl === undefined ? undefined : io.clock() + ttl,
    });
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}
