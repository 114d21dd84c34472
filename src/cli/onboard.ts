import { UserFacingError } from "../util/user-error.js";
import { resolveModelRef, type ResolvedModel } from "../models/ref.js";
import type { CliIo } from "./io.js";
import { openCliContext, type CliContext } from "./cli-context.js";
import { setConfiguredModel, updateConfigFile } from "../config/write.js";
import { stateEnvFile } from "../config/paths.js";
import { checkCredentialShape } from "./credential-shape.js";
import { parseDuration } from "./duration.js";
import { normalizeSecret, readAll } from "./secret-input.js";
import { checkProfileId, saveCredential } from "./save-credential.js";
import { refuseForeignProfilePrefix } from "./key-shape.js";
import { EXIT, fail } from "./errors.js";

/** Flags of `openclaw onboard`. */
export interface OnboardOptions {
  readonly nonInteractive?: boolean;
  readonly authChoice?: "apiKey" | "token";
  readonly anthropicApiKey?: string;
  readonly token?: string;
  readonly tokenStdin?: boolean;
  readonly profileId?: string;
  readonly tokenExpiresIn?: string;
  readonly model?: string;
  readonly agent?: string;
  /** `ref`: store an env SecretRef (ANTHROPIC_API_KEY / ANTHROPIC_OAUTH_TOKEN) instead of the secret, as OpenClaw's onboard does. */
  readonly secretInputMode?: "plaintext" | "ref";
}

/** The env variable a ref-mode credential points at. */
const REF_VARIABLE = { api_key: "ANTHROPIC_API_KEY", token: "ANTHROPIC_OAUTH_TOKEN" } as const;

/**
 * Ref mode: stores `{ source: "env", provider: "default", id: <variable> }` after checking, as
 * OpenClaw's preflight does, that the variable holds a value now. No secret is read or stored.
 */
async function saveReference(
  cli: CliContext,
  type: "api_key" | "token",
  opts: OnboardOptions,
  ttl: number | undefined,
): Promise<void> {
  const variable = REF_VARIABLE[type];
  if (opts.anthropicApiKey !== undefined || opts.token !== undefined || opts.tokenStdin) {
    fail("onboard_ref_inline", `--secret-input-mode ref reads the credential from ${variable}; do not pass it inline.`);
  }
  if (!cli.ctx.env.values[variable]?.trim()) {
    fail(
      "onboard_ref_unset",
      `${variable} is not set, so a reference to it would not resolve; nothing was stored.`,
      `Set ${variable} (e.g. in ${stateEnvFile(cli.ctx.stateDir)}), then run onboard again.`,
    );
  }
  await saveCredential(cli, {
    provider: "anthropic",
    type,
    secret: "",
    ref: { source: "env", provider: "default", id: variable },
    profileId: opts.profileId,
    expires: ttl === undefined || type === "api_key" ? undefined : cli.io.clock() + ttl,
  });
}

const SCRIPT_USAGE =
  "For scripts: openclaw onboard --non-interactive --auth-choice apiKey --token-stdin < key.txt (or --auth-choice token, or --anthropic-api-key <key>).";

/** `--model` resolved against the catalog, or a clear error; checked before anything is written. */
function checkModel(cli: CliContext, input: string): ResolvedModel {
  const r = resolveModelRef(cli.ctx.catalog, input);
  if (!r.ok)
    fail(
      r.error.code,
      `${r.error.message} Nothing was stored.`,
      r.error.hint?.replace("/model list", "openclaw models list"),
    );
  return r.value;
}

/** Writes `agents.defaults.model` (keeping `fallbacks` when the setting is OpenClaw's object form). */
async function setDefaultModel(cli: CliContext, model: ResolvedModel): Promise<void> {
  await updateConfigFile(cli.ctx.loaded.path, cli.ctx.stateDir, (raw) =>
    setConfiguredModel(raw, { scope: "global" }, model.ref),
  );
  cli.io.out(`Default model: ${model.ref}${model.model ? "" : " (not in the catalog; the provider decides)"}`);
}

/** The flags every mode takes, checked before any prompt or write: the model, the expiry, the profile id. */
function checkCommonFlags(cli: CliContext, opts: OnboardOptions): { model?: ResolvedModel; ttl?: number } {
  const model = opts.model !== undefined ? checkModel(cli, opts.model) : undefined;
  const ttl = opts.tokenExpiresIn !== undefined ? parseDuration(opts.tokenExpiresIn, "--token-expires-in") : undefined;
  if (opts.profileId !== undefined)
    refuseForeignProfilePrefix(cli.ctx.catalog, "anthropic", checkProfileId(opts.profileId));
  return { ...(model ? { model } : {}), ...(ttl !== undefined ? { ttl } : {}) };
}

async function nonInteractive(io: CliIo, cli: CliContext, opts: OnboardOptions): Promise<number> {
  const choice =
    opts.authChoice ?? (opts.anthropicApiKey !== undefined ? "apiKey" : opts.token !== undefined ? "token" : undefined);
  if (!choice) fail("onboard_no_choice", "--non-interactive needs --auth-choice apiKey or token.", SCRIPT_USAGE);
  if (opts.secretInputMode === "ref") {
    const { model, ttl } = checkCommonFlags(cli, opts);
    await saveReference(cli, choice === "apiKey" ? "api_key" : "token", opts, ttl);
    if (model) await setDefaultModel(cli, model);
    io.out(`Next: openclaw models status${cli.agentFlag}`);
    return EXIT.ok;
  }
  const given = choice === "apiKey" ? opts.anthropicApiKey : opts.token;
  if (choice === "apiKey" && opts.token !== undefined)
    fail("onboard_flag_mismatch", "--token goes with --auth-choice token; an API key goes in --anthropic-api-key.");
  if (choice === "token" && opts.anthropicApiKey !== undefined)
    fail("onboard_flag_mismatch", "--anthropic-api-key goes with --auth-choice apiKey; a setup-token goes in --token.");
  let raw: string;
  if (given !== undefined) raw = given;
  else if (opts.tokenStdin) raw = await readAll(io.stdin);
  else
    fail(
      "onboard_no_secret",
      `--auth-choice ${choice} needs ${choice === "apiKey" ? "--anthropic-api-key <key>" : "--token <token>"} or --token-stdin.`,
      SCRIPT_USAGE,
    );
  io.rememberSecrets([raw]);
  const secret = normalizeSecret(raw);
  if (secret === "") fail("secret_empty", "The key or token is empty; nothing was stored.");
  // Every input is checked before the first write, so a bad --model cannot leave a stored key behind.
  const type = choice === "apiKey" ? "api_key" : "token";
  checkCredentialShape("anthropic", type, secret);
  const { model, ttl } = checkCommonFlags(cli, opts);
  await saveCredential(cli, {
    provider: "anthropic",
    type,
    secret,
    profileId: opts.profileId,
    expires: ttl === undefined || type === "api_key" ? undefined : io.clock() + ttl,
  });
  if (model) await setDefaultModel(cli, model);
  io.out(`Next: openclaw models status${cli.agentFlag}`);
  return EXIT.ok;
}

async function interactive(io: CliIo, cli: CliContext, opts: OnboardOptions): Promise<number> {
  const p = await import("@clack/prompts");
  const common = { input: io.stdin as NodeJS.ReadStream, output: io.promptOutput as NodeJS.WriteStream };
  const cancelled = (): never => fail("cancelled", "Onboarding cancelled; nothing more was changed.");
  const { model, ttl } = checkCommonFlags(cli, opts);
  p.intro("OpenClaw set-up", common);

  let choice = opts.authChoice;
  if (!choice) {
    const picked = await p.select<"apiKey" | "token">({
      message: "How should the gateway authenticate to Anthropic?",
      options: [
        { value: "apiKey", label: "Anthropic API key", hint: "recommended for an always-on gateway" },
        { value: "token", label: "Setup-token from `claude setup-token`", hint: "uses a Claude subscription" },
      ],
      ...common,
    });
    if (p.isCancel(picked)) cancelled();
    choice = picked as "apiKey" | "token";
  }
  const type = choice === "apiKey" ? "api_key" : "token";
  if (opts.secretInputMode === "ref") await saveReference(cli, type, opts, ttl);
  else {
    const answer = await p.password({
      message: choice === "apiKey" ? "Paste the Anthropic API key" : "Paste the setup-token (sk-ant-oat01-…)",
      validate: (value) => {
        try {
          checkCredentialShape("anthropic", type, normalizeSecret(value ?? ""));
          return undefined;
        } catch (err) {
          return err instanceof UserFacingError ? err.detail.message : "Not a valid value.";
        }
      },
      ...common,
    });
    if (p.isCancel(answer)) cancelled();
    io.rememberSecrets([answer as string]);
    await saveCredential(cli, {
      provider: "anthropic",
      type,
      secret: normalizeSecret(answer as string),
      profileId: opts.profileId,
      expires: ttl === undefined || type === "api_key" ? undefined : io.clock() + ttl,
    });
  }

  if (model) await setDefaultModel(cli, model);
  else {
    const anthropicAliases = [...cli.ctx.catalog.aliases].filter(([, ref]) => ref.startsWith("anthropic/"));
    const picked = await p.select<string>({
      message: "Default model for new chats",
      options: [
        {
          value: "",
          label: "Keep the current default",
          hint: cli.ctx.loaded.config.agents?.defaults?.model ? "from your config" : cli.ctx.catalog.defaultModel,
        },
        ...anthropicAliases.map(([alias, ref]) => ({ value: ref, label: `${alias} (${ref})` })),
      ],
      ...common,
    });
    if (p.isCancel(picked)) cancelled();
    if (picked) await setDefaultModel(cli, checkModel(cli, picked as string));
  }
  p.outro(`Done. Check it with: openclaw models status${cli.agentFlag}`, common);
  return EXIT.ok;
}

/**
 * `openclaw onboard`: stores an Anthropic API key or setup-token (the same writer as paste-*) and
 * optionally the default model. Interactive with @clack/prompts on a terminal; `--non-interactive`
 * takes everything from flags or stdin for scripts.
 */
export async function runOnboard(io: CliIo, opts: OnboardOptions): Promise<number> {
  if (!opts.nonInteractive && !io.stdin.isTTY) {
    fail("onboard_needs_tty", "onboard is interactive and needs a terminal.", SCRIPT_USAGE);
  }
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    return opts.nonInteractive ? await nonInteractive(io, cli, opts) : await interactive(io, cli, opts);
  } finally {
    await cli.close();
  }
}
