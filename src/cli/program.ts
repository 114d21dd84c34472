import type { Clock } from "../util/clock.js";
import { Command, CommanderError, Option } from "commander";
import { packageVersion } from "../util/package-root.js";
import type { CliIo } from "./io.js";
import { errorJson, EXIT, reportError } from "./errors.js";
import { closestMatches } from "../util/closest.js";

type Run = (io: CliIo, opts: Record<string, unknown>, args: string[]) => Promise<number>;

/**
 * Wraps a lazily imported command: the module is loaded only when the command runs (so
 * `models status --check` never loads prompts, SDKs or channel libraries), failures become one
 * redacted line and an exit code.
 */
function action(io: CliIo, setExit: (code: number) => void, load: () => Promise<Run>) {
  return async (...received: unknown[]) => {
    const cmd = received[received.length - 1] as Command;
    const args = received
      .slice(0, -2)
      .filter((a): a is string | string[] => a !== undefined)
      .flat();
    try {
      const run = await load();
      setExit(await run(io, cmd.optsWithGlobals(), args));
    } catch (err) {
      if (cmd.optsWithGlobals().json === true) io.out(errorJson(err));
      setExit(reportError(io, err));
    }
  };
}

const logFormatOption = () =>
  new Option("--log-format <format>", "text (default) or json: one line per event, with time, level and component");
const logLevelOption = () =>
  new Option("--log-level <level>", "debug, info (default), warn or error; also OPENCLAW_LOG_LEVEL");

const agentOption = () =>
  new Option("--agent <id>", "agent whose credentials to use (default: the configured default agent)");

/** Registers `sessions list|reset`; owned by the sessions module, loaded only when that command runs. */
export type RegisterSessions = (
  program: Command,
  opts: { processEnv?: NodeJS.ProcessEnv; cwd?: string; clock?: Clock },
) => void;

/**
 * Builds the `openclaw` command tree. Nothing but commander is loaded until a command runs;
 * `registerSessions` is passed only when `sessions` is the command being run.
 */
export function buildProgram(io: CliIo, setExit: (code: number) => void, registerSessions?: RegisterSessions): Command {
  const act = (load: () => Promise<Run>) => action(io, setExit, load);
  const program = new Command("openclaw")
    .description("Messaging gateway for LLM chat bots: models, credentials and health checks.")
    .version(packageVersion(), "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")) });

  const models = program
    .command("models")
    .description("Show and manage models and the credentials behind them (alone: models status).")
    // Options given after a subcommand are that subcommand's, so `models --json` can mean `models status --json`.
    .enablePositionalOptions()
    .addOption(agentOption())
    .option("--json", "alone: the same as models status --json")
    .option("--status-json", "the same as models status --json")
    .option("--status-plain", "the same as models status --plain");

  models
    .command("status", { isDefault: true })
    .description("Default model, aliases and an auth overview per provider.")
    .addOption(agentOption())
    .option("--json", "print only JSON on stdout (diagnostics go to stderr)")
    .option("--plain", "tab-separated lines without decoration")
    .option(
      "--check",
      "exit 1 when the default model's credential is missing, expired or incompatible (or any profile expired), 2 when one expires within 24 h",
    )
    .option(
      "--probe",
      "send a tiny live request with every credential and report ok/auth/rate_limit/billing/timeout/format/incompatible",
    )
    .option("--probe-provider <id...>", "probe only these providers")
    .option("--probe-profile <id...>", "probe only these profile ids (repeatable or comma-separated)")
    .option("--probe-timeout <ms>", "time limit per probe", "8000")
    .option("--probe-concurrency <n>", "probes in flight at once", "2")
    .option("--probe-max-tokens <n>", "max_tokens of each probe request", "8")
    .addHelpText("after", "\nExit codes with --check: 0 fine, 1 missing/expired/unreadable, 2 expiring within 24 h.")
    .action(
      act(async () => {
        const { runModelsStatus } = await import("./models-status.js");
        return (cliIo, opts) => runModelsStatus(cliIo, statusAliases(opts));
      }),
    );

  models
    .command("list")
    .description(
      "Configured models (the default, fallbacks, agents.defaults.models) or the catalog, with aliases, retirement dates and whether each provider has a usable credential.",
    )
    .option("--all", "the whole catalog")
    .option("--provider <id>", "this provider's whole catalog")
    .addOption(agentOption())
    .option("--json", "print only JSON on stdout")
    .option("--plain", "one model ref per line")
    .action(act(async () => (await import("./models-list.js")).runModelsList));

  registerModelDefaults(models, act);

  const auth = models
    .command("auth")
    .description("Manage stored credentials (auth profiles).")
    .addOption(agentOption());

  auth
    .command("list")
    .description("Stored profiles with masked secrets, health, expiry and cooldowns. Never prints a secret.")
    .option("--provider <id>", "only this provider")
    .addOption(agentOption())
    .option("--json", "print only JSON on stdout")
    .action(act(async () => (await import("./auth-list.js")).runAuthList));

  auth
    .command("login")
    .description(
      "Sign in with the provider's OAuth login (browser with a loopback redirect, or --device-code) and store the profile.",
    )
    .option("--provider <id>", "provider to sign in to (openai)")
    .option("--method <id>", "oauth (browser, the default) or device-code")
    .option("--device-code", "sign in on a browser elsewhere with a one-time code (same as --method device-code)")
    .option("--profile-id <id>", "profile id (default <provider>:<account email>)")
    .option("--set-default", "make the provider's recommended model the default")
    .option("--force", "after a successful login, remove the provider's other profiles")
    .addOption(agentOption())
    .action(act(async () => (await import("./auth-login.js")).runLogin));

  auth
    .command("paste-token")
    .description("Store a token (stdin when piped, else a hidden prompt). Anthropic takes `claude setup-token` output.")
    .requiredOption("--provider <id>", "provider the token is for")
    .option("--profile-id <id>", "profile id (default <provider>:manual)")
    .option("--expires-in <duration>", "record an expiry, e.g. 365d, 12h, 30m")
    .addOption(agentOption())
    .action(act(async () => (await import("./auth-paste.js")).runPasteToken));

  auth
    .command("paste-api-key")
    .description("Store an API key (stdin when piped, else a hidden prompt).")
    .requiredOption("--provider <id>", "provider the key is for")
    .option("--profile-id <id>", "profile id (default <provider>:manual)")
    .option(
      "--ref <ref>",
      "store a SecretRef instead of the key: env:NAME, file:<provider>:<id> or exec:<provider>:<id>",
    )
    .addOption(agentOption())
    .action(act(async () => (await import("./auth-paste.js")).runPasteApiKey));

  auth
    .command("setup-token")
    .description("Run `claude setup-token` and store the token it prints (needs an interactive terminal).")
    .requiredOption("--provider <id>", "provider (only anthropic issues setup-tokens)")
    .option("--profile-id <id>", "profile id (default <provider>:manual)")
    .option("--expires-in <duration>", "record an expiry, e.g. 365d")
    .addOption(agentOption())
    .action(act(async () => (await import("./auth-setup-token.js")).runSetupToken));

  const order = auth
    .command("order")
    .description("Per-agent credential order for one provider (overrides config auth.order).");
  for (const [name, description] of [
    ["get", "Show the agent's order, or what applies when none is set."],
    ["clear", "Remove the agent's order; config auth.order or the default order applies again."],
  ] as const) {
    order
      .command(name)
      .description(description)
      .requiredOption("--provider <id>", "provider")
      .addOption(agentOption())
      .option("--json", "print only JSON on stdout")
      .action(act(async () => (await import("./auth-order.js"))[name === "get" ? "runOrderGet" : "runOrderClear"]));
  }
  order
    .command("set")
    .description("Set the agent's order: profile ids, most preferred first.")
    .argument("<profileIds...>", "stored profile ids of this provider")
    .option("--provider <id>", "provider (default: the one the profile ids name)")
    .addOption(agentOption())
    .option("--json", "print only JSON on stdout")
    .action(act(async () => (await import("./auth-order.js")).runOrderSet));

  auth
    .command("logout")
    .description(
      "Remove a stored profile and every reference to it (config auth.profiles, auth.order lists, agent order).",
    )
    .argument("[profileId]", "profile to remove")
    .option("--profile-id <id>", "profile to remove (alternative to the argument)")
    .option("--yes", "do not ask for confirmation")
    .addOption(agentOption())
    .action(act(async () => (await import("./auth-logout.js")).runLogout));

  program
    .command("doctor")
    .description(
      "Check config, file modes, credentials and channel access; --fix repairs file modes, removes drifted auth orders and refreshes OAuth profiles expiring within 24 h.",
    )
    .option("--fix", "apply safe repairs (file modes, drifted auth orders, OAuth refresh)")
    .option("--json", "print only JSON on stdout")
    .action(act(async () => (await import("./doctor.js")).runDoctor));

  program
    .command("onboard")
    .description("Set up Anthropic credentials (interactive, or --non-interactive for scripts).")
    .option("--non-interactive", "no prompts; take everything from flags")
    .addOption(new Option("--auth-choice <choice>", "credential kind").choices(["apiKey", "token"]))
    .option("--anthropic-api-key <key>", "Anthropic API key (prefer piping with --token-stdin)")
    .option("--token <token>", "Anthropic setup-token from `claude setup-token`")
    .option("--token-stdin", "read the key or token from stdin")
    .option("--profile-id <id>", "profile id (default anthropic:manual)")
    .option("--token-expires-in <duration>", "record a token expiry, e.g. 365d")
    .option("--model <ref>", "also write agents.defaults.model (alias or provider/model)")
    .addOption(
      new Option(
        "--secret-input-mode <mode>",
        "ref: store a reference to ANTHROPIC_API_KEY / ANTHROPIC_OAUTH_TOKEN instead of the secret",
      ).choices(["plaintext", "ref"]),
    )
    .option("--accept-risk", "accepted for compatibility with OpenClaw scripts")
    .addOption(agentOption())
    .action(act(async () => (await import("./onboard.js")).runOnboard));

  program
    .command("dashboard")
    .description("Print a one-time link to the running gateway's control page (and open it where a desktop exists).")
    .option("--no-open", "print the link without opening a browser")
    .option("--json", "print only { ok, url, expiresAtMs } (or { ok: false, reason }); opens nothing")
    .option("--revoke", "end every control page session instead")
    .action(act(async () => (await import("./dashboard.js")).runDashboard));

  const gateway = program
    .command("gateway")
    .description(
      "Run the gateway in the foreground (Telegram, Discord or the local console), or manage it as a service.",
    )
    .addOption(logFormatOption())
    .addOption(logLevelOption())
    .action(act(async () => runForeground));
  gateway
    .command("run")
    .description("Run the gateway in the foreground (the same as `openclaw gateway`).")
    .addOption(logFormatOption())
    .addOption(logLevelOption())
    .action(act(async () => runForeground));
  addServiceCommands(gateway, act);
  gateway
    .command("usage-cost")
    .description(
      "Turns, tokens and estimated cost from the usage ledger, read from the session store (the gateway need not run).",
    )
    .option("--days <n>", "UTC days to include, today among them", "30")
    .option("--agent <id>", "only this agent's turns (default: the default agent)")
    .option("--all-agents", "every agent's turns (not with --agent)")
    .option("--by <group>", "rows per day, provider, model, profile, chat or agent", "day")
    .option("--json", "print only JSON on stdout")
    .action(act(async () => (await import("./usage-cost.js")).runUsageCost));
  addServiceCommands(
    program
      .command("daemon")
      .description(
        "OpenClaw's former name of the service commands: the same as `openclaw gateway install|uninstall|start|stop|restart|status`.",
      ),
    act,
  );

  if (registerSessions) {
    registerSessions(program, { processEnv: io.env, cwd: io.cwd, clock: io.clock });
    // Its errors are complete sentences; the usage hint after them would only add noise.
    const sessions = program.commands.find((c) => c.name() === "sessions");
    if (sessions) for (const c of allCommands(sessions)) c.showHelpAfterError(false);
  } else
    program
      .command("sessions")
      .description("List chat sessions and their model/profile, or reset one (sessions list|reset).");

  return program;
}

type Act = (load: () => Promise<Run>) => (...received: unknown[]) => Promise<void>;

/** `openclaw gateway` and `gateway run`: the gateway in the foreground until a signal stops it. */
const runForeground: Run = async (cliIo, opts) => {
  const { runGateway } = await import("../app/run.js");
  const { formattedLog, logSettings } = await import("../gateway/log-format.js");
  const settings = logSettings(opts as { logFormat?: string; logLevel?: string }, cliIo.env);
  const log = formattedLog((line) => cliIo.err(line), settings);
  (await import("./signals.js")).logDrainTo(log);
  await runGateway({ processEnv: cliIo.env, cwd: cliIo.cwd, log });
  return 0;
};

/** `models --status-json` / `--status-plain` (and `models --json`) as `models status` reads them. */
function statusAliases(opts: Record<string, unknown>): Record<string, unknown> {
  return {
    ...opts,
    json: opts.json === true || opts.statusJson === true,
    plain: opts.plain === true || opts.statusPlain === true,
  };
}

/** The service commands, under `gateway` and under OpenClaw's older name for them, `daemon`. */
function addServiceCommands(parent: Command, act: Act): void {
  parent
    .command("install")
    .description("Install the gateway as a systemd user unit (Linux) or launchd agent (macOS).")
    .option("--port <n>", "HTTP port the service listens on (sets OPENCLAW_GATEWAY_PORT in the unit)")
    .option("--force", "replace an existing unit that differs")
    .option("--dry-run", "print the unit and the commands; change nothing")
    .action(act(async () => (await import("./gateway-service.js")).runGatewayInstall));
  parent
    .command("uninstall")
    .description("Stop, disable and remove the gateway service.")
    .action(act(async () => (await import("./gateway-service.js")).runGatewayUninstall));
  for (const verb of ["start", "stop", "restart"] as const) {
    parent
      .command(verb)
      .description(`${verb[0]?.toUpperCase()}${verb.slice(1)} the gateway service (systemctl --user / launchctl).`)
      .action(act(async () => async (cliIo) => (await import("./gateway-service.js")).runGatewayAction(cliIo, verb)));
  }
  parent
    .command("status")
    .description(
      "Service state, /healthz and /readyz, and what the running gateway reports. Exit 0 ready, 1 down, 2 degraded.",
    )
    .option("--deep", "also check credentials as `models status --check` does")
    .option("--json", "print only JSON on stdout")
    .action(act(async () => (await import("./gateway-status.js")).runGatewayStatus));
}

/** `models set`, `models aliases list|add|remove`, `models fallbacks list|add|remove|clear`: the shared defaults. */
function registerModelDefaults(models: Command, act: Act): void {
  // Accepted only to be refused with the reason: these change what every agent inherits.
  const refusedAgent = () => new Option("--agent <id>").hideHelp();
  models
    .command("set")
    .description("Set the default model of every agent without its own (agents.defaults.model.primary).")
    .argument("<model>", "alias or provider/model")
    .addOption(refusedAgent())
    .action(act(async () => (await import("./models-set.js")).runModelsSet));

  const listed = (cmd: Command) =>
    cmd.option("--json", "print only JSON on stdout").option("--plain", "one entry per line").addOption(refusedAgent());

  const aliases = models.command("aliases").description("Model aliases (agents.defaults.models.<ref>.alias).");
  listed(aliases.command("list").description("Configured aliases, then the built-in ones they leave in place.")).action(
    act(async () => (await import("./models-aliases.js")).runAliasesList),
  );
  aliases
    .command("add")
    .description("Point an alias at a model; the model's former alias is replaced.")
    .argument("<alias>", "letters, digits, dots, underscores, colons and dashes")
    .argument("<model>", "alias or provider/model")
    .addOption(refusedAgent())
    .action(act(async () => (await import("./models-aliases.js")).runAliasesAdd));
  aliases
    .command("remove")
    .description("Remove a configured alias (the model's other settings stay).")
    .argument("<alias>", "a configured alias")
    .addOption(refusedAgent())
    .action(act(async () => (await import("./models-aliases.js")).runAliasesRemove));

  const fallbacks = models
    .command("fallbacks")
    .description("The default model's fallback chain (agents.defaults.model.fallbacks).");
  listed(fallbacks.command("list").description("The fallback chain, in order.")).action(
    act(async () => (await import("./models-fallbacks.js")).runFallbacksList),
  );
  for (const [verb, description] of [
    ["add", "Append a model to the chain (an alias is stored as the model it names)."],
    ["remove", "Remove a model from the chain."],
  ] as const) {
    fallbacks
      .command(verb)
      .description(description)
      .argument("<model>", "alias or provider/model")
      .addOption(refusedAgent())
      .action(
        act(async () => {
          const m = await import("./models-fallbacks.js");
          return verb === "add" ? m.runFallbacksAdd : m.runFallbacksRemove;
        }),
      );
  }
  fallbacks
    .command("clear")
    .description("Empty the chain: the default model has no fallbacks.")
    .addOption(refusedAgent())
    .action(act(async () => (await import("./models-fallbacks.js")).runFallbacksClear));
}

/** Runs the CLI with `argv` (without `node` and the script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  const sessions = argv[0] === "sessions" ? (await import("./sessions.js")).registerSessionsCommands : undefined;
  const program = buildProgram(io, (c) => (code = c), sessions);
  program.exitOverride();
  for (const cmd of allCommands(program)) cmd.exitOverride();
  const typo = unknownSubcommand(program, argv);
  if (typo !== undefined) {
    io.err(
      `error: unknown command '${typo.word}'${typo.near.length ? `\n(Did you mean ${typo.near.join(" or ")}?)` : ""}\n(run with --help for usage)`,
    );
    return EXIT.problem;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    return reportError(io, err);
  }
  return code;
}

/**
 * A mistyped subcommand of a command with a default one (`models stauts`): commander would hand
 * the word to `models status` as an argument and answer "too many arguments". Found here, it gets
 * the same answer as any other unknown command, with the closest names.
 */
function unknownSubcommand(program: Command, argv: readonly string[]): { word: string; near: string[] } | undefined {
  let cmd = program;
  for (const word of argv) {
    if (word.startsWith("-")) return undefined;
    const next = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (next) {
      cmd = next;
      continue;
    }
    // commander keeps `{ isDefault: true }` in this field and offers no public getter.
    const defaultName = (cmd as Command & { _defaultCommandName?: string | null })._defaultCommandName;
    const fallback = cmd.commands.find((c) => c.name() === defaultName);
    if (!fallback || fallback.registeredArguments.length > 0) return undefined;
    return {
      word,
      near: closestMatches(
        word,
        cmd.commands.map((c) => c.name()),
      ),
    };
  }
  return undefined;
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}
