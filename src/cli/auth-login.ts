import { setTimeout as sleep } from "node:timers/promises";
import { oauthLoginFor } from "../auth/oauth-endpoints.js";
import { browserLogin, deviceCodeLogin, type LoginDeps, type LoginTokens } from "../auth/oauth-login.js";
import type { RawAuthProfile } from "../auth/profiles.js";
import { isRawObject, objectAt } from "../config/raw-object.js";
import { assertConfigWritable, existingObjectAt, updateConfigFile } from "../config/write.js";
import { maskSecret } from "../util/mask.js";
import { UserFacingError } from "../util/user-error.js";
import { removeFromOrders } from "./auth-logout.js";
import { openCliContext, type CliContext } from "./cli-context.js";
import { EXIT, fail } from "./errors.js";
import { expiryText } from "./format.js";
import type { CliIo } from "./io.js";
import { refuseForeignProfilePrefix } from "./key-shape.js";
import { desktopOpener, type UrlOpener } from "./open-url.js";
import { afterOrderChange } from "./order-effects.js";
import { checkProfileId, knownProvider } from "./save-credential.js";

/** Flags of `models auth login`, as OpenClaw names them. */
export interface LoginOptions {
  readonly provider?: string;
  readonly method?: string;
  readonly deviceCode?: boolean;
  readonly profileId?: string;
  readonly setDefault?: boolean;
  readonly force?: boolean;
  readonly agent?: string;
}

// What OpenClaw 2026.9.6 offers for providers this command does not log in to, so the refusal
// says where to go instead of only "unsupported".
const ELSEWHERE: Readonly<Record<string, string>> = {
  anthropic:
    "OpenClaw has no OAuth login for Anthropic either: use `openclaw models auth setup-token --provider anthropic` (runs `claude setup-token`) or `models auth paste-token --provider anthropic`.",
  xai: "OpenClaw logs in to xAI with its own device flow; run that login with OpenClaw itself, then this gateway uses and refreshes the profile it stores.",
  minimax: "OpenClaw logs in to MiniMax with its own device flow; run that login with OpenClaw itself.",
  "github-copilot":
    "OpenClaw logs in to GitHub Copilot with GitHub's device flow; run that login with OpenClaw itself.",
  openrouter:
    "OpenClaw logs in to OpenRouter with its own flow; or store a key with `models auth paste-api-key --provider openrouter`.",
};

/** The login method: OpenClaw's `--method` ids, `--device-code` as its shortcut. */
function chooseMethod(opts: LoginOptions): "oauth" | "device-code" {
  if (opts.deviceCode && opts.method !== undefined && opts.method !== "device-code")
    fail("bad_login_method", "--device-code cannot be combined with --method unless method is device-code.");
  const method = opts.deviceCode ? "device-code" : (opts.method ?? "oauth");
  if (method === "oauth" || method === "device-code") return method;
  fail(
    "bad_login_method",
    `Unknown login method "${method}".`,
    method === "api-key"
      ? "Store an API key with `openclaw models auth paste-api-key --provider <id>`."
      : "Use --method oauth (browser) or --method device-code (or --device-code).",
  );
}

/** What this login writes to the profile: OpenClaw's fields for a ChatGPT OAuth profile. */
function oauthProfile(provider: string, t: LoginTokens): RawAuthProfile {
  return {
    type: "oauth",
    provider,
    access: t.access,
    refresh: t.refresh,
    expires: t.expires,
    ...(t.email !== undefined ? { email: t.email } : {}),
    ...(t.accountId !== undefined ? { accountId: t.accountId } : {}),
    ...(t.chatgptPlanType !== undefined ? { chatgptPlanType: t.chatgptPlanType } : {}),
  };
}

/** An OAuth profile, in either spelling of its type. */
function isLogin(p: RawAuthProfile): boolean {
  return (p.type ?? p.mode) === "oauth";
}

/**
 * Stores the login's profile in the agent's credential store (JSON file or OpenClaw's SQLite, one
 * locked write) and moves it to the front of the agent's order for the provider when one exists,
 * as OpenClaw does. With `force`, the provider's other profiles go in the same write: only after
 * the login worked, so a failed login never leaves the provider without credentials. A login the
 * gateway cannot call with (`onlyLogins`: a ChatGPT sign-in) removes only the provider's other
 * logins: its API keys and tokens are what the gateway calls with. Returns the ids removed.
 */
async function storeProfile(
  cli: CliContext,
  id: string,
  profile: RawAuthProfile,
  force: boolean,
  onlyLogins: boolean,
): Promise<{ removed: string[]; reordered: boolean }> {
  const provider = profile.provider;
  return cli.store.update(cli.agentId, (file) => {
    const existing = file.profiles[id];
    if (existing && existing.provider !== provider)
      fail(
        "profile_provider_mismatch",
        `Profile ${id} already exists for provider ${existing.provider}, not ${provider}. Nothing was stored.`,
        "Choose another --profile-id, or remove it first with `openclaw models auth logout`.",
      );
    const removed = force
      ? Object.entries(file.profiles)
          .filter(([other, p]) => other !== id && p.provider === provider && (!onlyLogins || isLogin(p)))
          .map(([other]) => other)
      : [];
    for (const other of removed) {
      delete file.profiles[other];
      removeFromOrders(file.order, other);
    }
    file.profiles[id] = profile;
    const order = file.order?.[provider];
    const reordered = removed.length > 0 || (Array.isArray(order) && order[0] !== id);
    if (file.order && Array.isArray(order)) file.order[provider] = [id, ...order.filter((x) => x !== id)];
    if (file.order && Object.keys(file.order).length === 0) delete file.order;
    return { removed, reordered };
  });
}

/**
 * Records the profile in the config as OpenClaw's metadata (`auth.profiles.<id>` with provider,
 * mode and email), drops what `force` removed, and with `setDefault` makes the provider's
 * recommended model the default as OpenClaw writes it (`{ primary, fallbacks }`, listed in
 * `agents.defaults.models`).
 */
async function recordInConfig(
  cli: CliContext,
  id: string,
  profile: RawAuthProfile,
  removed: readonly string[],
  defaultModel: string | undefined,
): Promise<void> {
  await updateConfigFile(cli.ctx.loaded.path, cli.ctx.stateDir, (raw) => {
    const profiles = objectAt(raw, "auth", "profiles");
    const order = existingObjectAt(raw, "auth", "order");
    for (const other of removed) {
      delete profiles[other];
      removeFromOrders(order, other);
    }
    const current = profiles[id];
    const email = typeof profile.email === "string" ? { email: profile.email } : {};
    profiles[id] = { ...(isRawObject(current) ? current : {}), provider: profile.provider, mode: "oauth", ...email };
    if (defaultModel !== undefined) {
      const defaults = objectAt(raw, "agents", "defaults");
      const fallbacks = isRawObject(defaults.model) ? defaults.model.fallbacks : undefined;
      defaults.model = { ...(Array.isArray(fallbacks) ? { fallbacks } : {}), primary: defaultModel };
      objectAt(defaults, "models", defaultModel);
    }
    return true;
  });
}

/**
 * `openclaw models auth login --provider <p> [--device-code] [--profile-id] [--set-default]
 * [--force]`: runs the provider's OAuth login as OpenClaw does (browser with PKCE and a loopback
 * redirect, or a device code for a browser elsewhere) and stores the profile where OpenClaw reads
 * it. A login that fails stores nothing. `openUrl` is the browser opener (tests pass their own).
 */
export async function runLoginWith(io: CliIo, opts: LoginOptions, openUrl: UrlOpener): Promise<number> {
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    if (opts.provider === undefined)
      fail(
        "provider_required",
        "Name the provider to log in to: --provider openai.",
        "OpenAI is the provider OpenClaw logs in to with OAuth here.",
      );
    const method = chooseMethod(opts);
    const provider = knownProvider(cli, opts.provider);
    const login = oauthLoginFor(cli.ctx.loaded.config, provider, io.env);
    if (!login)
      fail(
        "login_unsupported",
        `This CLI has no OAuth login for ${provider}.`,
        ELSEWHERE[provider] ?? `Store a credential with \`openclaw models auth paste-api-key --provider ${provider}\`.`,
      );
    refuseForeignProfilePrefix(cli.ctx.catalog, provider, opts.profileId);
    const requestedId = opts.profileId === undefined ? undefined : checkProfileId(opts.profileId);
    // Before the user spends a login on it: a config we could not write would lose the profile's metadata.
    assertConfigWritable(cli.ctx.loaded.path, cli.ctx.stateDir);

    const name = cli.ctx.catalog.providers.get(provider)?.name ?? provider;
    io.err(
      `Signing in to ${name} for agent ${cli.agentId} on this machine (${method === "oauth" ? "browser" : "device code"}).`,
    );
    const deps: LoginDeps = {
      clock: io.clock,
      sleep: (ms) => sleep(ms),
      showUrl: (url) => {
        io.err(`Open this URL in a browser on this machine and sign in:\n\n${url}\n`);
        io.err(
          `Waiting for the sign-in to come back to ${new URL(url).searchParams.get("redirect_uri") ?? "this machine"} ...`,
        );
        openUrl(url);
      },
      showDeviceCode: ({ verificationUrl, userCode, expiresInMs }) => {
        io.err(`Open ${verificationUrl} in any browser and enter the code ${userCode}`);
        io.err(
          `(valid ${Math.max(1, Math.round(expiresInMs / 60_000))} min; never share it). Waiting for approval ...`,
        );
        openUrl(verificationUrl);
      },
    };
    const result = method === "oauth" ? await browserLogin(login, deps) : await deviceCodeLogin(login, deps);
    if (!result.ok) throw new UserFacingError(result.error);
    const { tokens } = result;
    io.rememberSecrets([tokens.access, tokens.refresh]);

    const id = requestedId ?? `${provider}:${tokens.profileName}`;
    const profile = oauthProfile(provider, tokens);
    const onlyLogins = login.gatewayNote !== undefined;
    const { removed, reordered } = await storeProfile(cli, id, profile, opts.force === true, onlyLogins);
    cli.forget();
    await recordInConfig(cli, id, profile, removed, opts.setDefault ? login.defaultModel : undefined);

    io.out(`Auth profile: ${id} (${provider}/oauth)`);
    io.out(
      `Stored ${maskSecret(tokens.access)} in ${cli.store.pathFor(cli.agentId)} · expires ${new Date(tokens.expires).toISOString()} (${expiryText(tokens.expires, io.clock())})`,
    );
    if (removed.length)
      io.out(`Removed the other ${provider} ${onlyLogins ? "logins" : "profiles"} (--force): ${removed.join(", ")}`);
    if (login.gatewayNote !== undefined) io.out(`Note: ${login.gatewayNote}`);
    io.out(
      opts.setDefault
        ? `Default model set to ${login.defaultModel}`
        : `Default model available: ${login.defaultModel} (current default unchanged; run \`openclaw models set ${login.defaultModel}\` to apply)`,
    );
    if (reordered) await afterOrderChange(cli);
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}

/** `openclaw models auth login` with the desktop's browser opener. */
export function runLogin(io: CliIo, opts: LoginOptions): Promise<number> {
  return runLoginWith(io, opts, desktopOpener(io));
}
