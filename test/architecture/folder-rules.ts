/**
 * DESIGN.md section 1, "Imports that must never exist", as data: the one copy the import check
 * reads. A folder is a directory under `src/` (`auth`, `chat`, ...) or `plugins` for everything
 * under `plugins/`. Type-only imports count: a type from across a boundary is still a dependency.
 */

/** Imports from the folder `from` into any folder of `to` are forbidden, for the reason `why`. */
export interface FolderRule {
  readonly from: string;
  readonly to: readonly string[];
  readonly why: string;
}

/** Imports of a package of `packages` (or one under it, `grammy/types`) from a folder of `from`. */
export interface PackageRule {
  readonly from: readonly string[];
  readonly packages: readonly string[];
  readonly why: string;
}

/** Every folder of the plan, in DESIGN's order. */
export const FOLDERS = [
  "app",
  "config",
  "util",
  "models",
  "auth",
  "sessions",
  "providers",
  "chat",
  "gateway",
  "channels",
  "service",
  "cli",
  "ui",
  "plugins",
] as const;

/** The folder rules. */
export const FOLDER_RULES: readonly FolderRule[] = [
  {
    from: "plugins",
    to: ["channels", "cli", "chat"],
    why: "plugins share wording through auth/, never through the CLI or chat",
  },
  {
    from: "channels",
    to: ["plugins", "auth"],
    why: "adapters render declared commands and masked replies, never secrets",
  },
  {
    from: "gateway",
    to: ["channels", "plugins", "chat", "app"],
    why: "the host knows chat by its interface; wiring is app/'s",
  },
  {
    from: "auth",
    to: ["channels", "gateway", "sessions"],
    why: "auth declares its ports (cooldowns, leases), stores implement them",
  },
  { from: "sessions", to: ["channels", "gateway"], why: "stores know no chat SDK and no host types" },
  { from: "models", to: ["auth"], why: "the catalog knows no secrets" },
  {
    from: "ui",
    to: ["channels", "chat", "cli", "app"],
    why: "the control page reads through the gateway's services; the commands it reuses are wired in by app/",
  },
  { from: "config", to: ["auth", "models"], why: "config is read by all and reads nobody" },
  {
    from: "util",
    to: FOLDERS.filter((f) => f !== "util"),
    why: "util is used by all and uses nothing above",
  },
];

/** The package rules: the chat SDKs stay inside the channel adapters. */
export const PACKAGE_RULES: readonly PackageRule[] = [
  {
    from: ["plugins", "sessions"],
    packages: ["grammy", "@grammyjs", "discord.js", "@discordjs"],
    why: "plugins never import grammY or discord.js; stores know no chat SDK",
  },
];
