import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import { errorMessage, type Log } from "../../gateway/log.js";
import type { CommandDefinition } from "../../gateway/types.js";
import { TELEGRAM_NAME_RULE, telegramMenuName } from "./command-name.js";

/** Telegram's rules for `setMyCommands`: descriptions of 1-256 chars, at most 100 commands (names: see command-name.ts). */
const MAX_DESCRIPTION = 256;
const MAX_COMMANDS = 100;

/** The command menu as Telegram accepts it, and the names it had to change or leave out. */
export interface CommandMenuList {
  readonly commands: BotCommand[];
  /** Menu name → the host's name, for commands listed under another name (`gpt_mini` for `gpt-mini`). */
  readonly renamed: ReadonlyMap<string, string>;
  readonly skipped: string[];
}

/**
 * Builds the `setMyCommands` list from the host's commands: names lower-cased, `-` listed as `_`
 * (Telegram allows only `[a-z0-9_]`; {@link CommandMenuList.renamed} maps them back), names that
 * still do not fit skipped (they work when typed), descriptions trimmed to 256 chars (the name
 * when empty), at most 100 commands.
 */
export function commandMenu(definitions: readonly CommandDefinition[]): CommandMenuList {
  const commands: BotCommand[] = [];
  const renamed = new Map<string, string>();
  const skipped: string[] = [];
  const taken = new Set(definitions.map((d) => d.name.toLowerCase()));
  const seen = new Set<string>();
  for (const def of definitions) {
    const lower = def.name.toLowerCase();
    const name = telegramMenuName(lower);
    const clashes = name !== lower && name !== undefined && taken.has(name);
    if (name === undefined || clashes || seen.has(name) || commands.length >= MAX_COMMANDS) {
      skipped.push(def.name);
      continue;
    }
    seen.add(name);
    if (name !== lower) renamed.set(name, def.name);
    const description = def.description.trim() || name;
    commands.push({
      command: name,
      description: description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION - 1)}…` : description,
    });
  }
  return { commands, renamed, skipped };
}

/** Keeps Telegram's command menu equal to the host's commands (they follow the config, e.g. alias commands). */
export class CommandMenuSync {
  private registered: string | undefined;
  private renamed: ReadonlyMap<string, string> = new Map();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly api: Api,
    private readonly commands: () => readonly CommandDefinition[],
    private readonly log: Log,
  ) {}

  /** Registers the menu when it differs from what was last registered. Failures are logged, never thrown. */
  sync(): Promise<void> {
    this.running ??= this.syncOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The host's name for a command as typed from the menu (`gpt_mini` → `gpt-mini`); other names unchanged. */
  hostName(name: string): string {
    return this.renamed.get(name) ?? name;
  }

  /** Re-checks every `intervalMs` (timer unref'd, so it never holds the process open). */
  watch(intervalMs: number): void {
    this.timer = setInterval(() => void this.sync(), intervalMs);
    this.timer.unref();
  }

  /** Stops watching and waits for a registration in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async syncOnce(): Promise<void> {
    const menu = commandMenu(this.commands());
    const key = JSON.stringify(menu.commands);
    if (key === this.registered) return;
    try {
      await this.api.setMyCommands(menu.commands);
      if (this.registered === undefined && menu.skipped.length > 0) {
        this.log(
          "warn",
          `telegram: commands not shown in the menu (Telegram allows ${TELEGRAM_NAME_RULE}): ${menu.skipped.join(", ")}`,
        );
      }
      this.registered = key;
      this.renamed = menu.renamed;
    } catch (err) {
      this.log("warn", `telegram: setMyCommands failed: ${errorMessage(err)}`);
    }
  }
}
