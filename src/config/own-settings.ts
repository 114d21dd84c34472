import fs from "node:fs";
import { isIPv4 } from "node:net";
import os from "node:os";
import path from "node:path";
import { isRawObject, objectAt, type RawObject } from "./raw-object.js";

/**
 * The settings of ours that OpenClaw has no key for, as key paths (`*` = any map key). They live in
 * `model-gateway.json`; in `openclaw.json` they are a former location that still works, with a
 * warning, and that `doctor --fix` empties.
 */
export const OWN_KEYS: readonly string[] = [
  // The auth monitor's own section (its schema is the plugin's): named here only so `doctor` and
  // `doctor --fix`, which load the config without the plugins' sections, still move it out of
  // openclaw.json. Other plugins' sections count as ours when the loader is given them.
  "auth.monitor",
  "auth.profiles.*.disabled",
  "models.providers.*.oauth",
  "session.store",
  "session.cacheSize",
  "gateway.metrics",
  "gateway.allowedHosts",
  "gateway.port",
  "gateway.bind",
  "channels.discord.guildIds",
  "channels.discord.apiBase",
  "channels.discord.interactions",
  "channels.console",
  "budgets",
  "usage.ledger",
  "usage.retainDays",
];

function matches(pattern: string, key: readonly string[]): boolean {
  const parts = pattern.split(".");
  return parts.length === key.length && parts.every((p, i) => p === "*" || p === key[i]);
}

/** True when `key` is one of `keys` ({@link OWN_KEYS} by default) or lies inside one. */
export function isOwnKey(key: readonly string[], keys: readonly string[] = OWN_KEYS): boolean {
  return keys.some((p) => matches(p, key.slice(0, p.split(".").length)));
}

/** True when `key` is a prefix of an own key: a section our file may hold (`channels.discord`). */
function isOwnSection(key: readonly string[], keys: readonly string[]): boolean {
  return keys.some((p) => {
    const parts = p.split(".");
    return key.length < parts.length && key.every((k, i) => parts[i] === "*" || parts[i] === k);
  });
}

/**
 * The keys in `model-gateway.json` that are not ours, as paths. `pluginKeys` are the places of the
 * loaded plugins' own sections (`auth.monitor`), which our file holds too.
 */
export function foreignOwnFileKeys(raw: RawObject, pluginKeys: readonly string[] = []): string[][] {
  const keys = [...OWN_KEYS, ...pluginKeys];
  const out: string[][] = [];
  const walk = (obj: RawObject, at: string[]) => {
    for (const [k, v] of Object.entries(obj)) {
      const key = [...at, k];
      if (isOwnKey(key, keys)) continue;
      if (isOwnSection(key, keys) && isRawObject(v)) walk(v, key);
      else out.push(key);
    }
  };
  walk(raw, []);
  return out;
}

/** A key in `openclaw.json` that OpenClaw refuses, why, and what `doctor --fix` does with it. */
export interface LegacyKey {
  readonly key: string;
  /** What OpenClaw says about it. */
  readonly why: string;
  /** What `doctor --fix` does, in words; undefined when only a person can fix it. */
  readonly fix: string | undefined;
}

/** Where a state directory's files are, for the checks that look at disk (`session.store`). */
export interface LegacyContext {
  readonly stateDir: string;
  /** The mode of a stored credential (`api_key`, `token`, `oauth`), for profiles written without one. */
  readonly profileMode?: (profileId: string) => string | undefined;
}

const SQLITE_HEADER = "SQLite format 3\0";

function expandPath(p: string, stateDir: string): string {
  const home = p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : p;
  return path.resolve(stateDir, home);
}

/**
 * True when `session.store` is a string naming an existing SQLite file: where an earlier version
 * of ours kept sessions. OpenClaw's own store there is JSON, so a SQLite header tells them apart.
 */
export function isFormerSqliteStore(value: unknown, stateDir: string): value is string {
  if (typeof value !== "string" || value.includes("{")) return false;
  try {
    const fd = fs.openSync(expandPath(value, stateDir), "r");
    try {
      const head = Buffer.alloc(SQLITE_HEADER.length);
      fs.readSync(fd, head, 0, head.length, 0);
      return head.toString("latin1") === SQLITE_HEADER;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** OpenClaw's keys directly under `env`; anything else there was a variable of ours. */
const ENV_SECTION_KEYS = new Set(["vars", "shellEnv"]);
const HOST_ALIASES: Readonly<Record<string, string>> = {
  "127.0.0.1": "loopback",
  localhost: "loopback",
  "::1": "loopback",
  "0.0.0.0": "lan",
  "::": "lan",
};
const BIND_MODE_SET = new Set(["loopback", "lan", "auto", "custom", "tailnet"]);

/** One rewrite of `openclaw.json` (and our file) that makes a key acceptable to OpenClaw. */
interface Rule {
  readonly find: (raw: RawObject, ctx: LegacyContext) => Iterable<LegacyKey & { apply?: (own: RawObject) => void }>;
}

function at(raw: RawObject, ...keys: string[]): RawObject | undefined {
  let cur: unknown = raw;
  for (const k of keys) cur = isRawObject(cur) ? cur[k] : undefined;
  return isRawObject(cur) ? cur : undefined;
}

/** Moves `holder[key]` (at `where`) into our file at the same place; our file's value wins. */
function moveTo(holder: RawObject, where: readonly string[], key: string): (own: RawObject) => void {
  return (own) => {
    const target = objectAt(own, ...where);
    if (!(key in target)) target[key] = holder[key];
    delete holder[key];
  };
}

function* movedKeys(raw: RawObject, where: readonly string[], keys: readonly string[], why: (k: string) => string) {
  const holder = at(raw, ...where);
  if (!holder) return;
  for (const k of keys) {
    if (!(k in holder)) continue;
    yield {
      key: [...where, k].join("."),
      why: why(k),
      fix: "moved to model-gateway.json",
      apply: moveTo(holder, where, k),
    };
  }
}

const unrecognized = (section: string) => (k: string) => `${section}: Unrecognized key: "${k}" (a setting of ours)`;

const RULES: readonly Rule[] = [
  { find: (raw) => movedKeys(raw, [], ["budgets"], unrecognized("(top level)")) },
  { find: (raw) => movedKeys(raw, ["auth"], ["monitor"], unrecognized("auth")) },
  {
    *find(raw, ctx) {
      for (const [id, profile] of Object.entries(at(raw, "auth", "profiles") ?? {})) {
        if (!isRawObject(profile)) continue;
        yield* movedKeys(raw, ["auth", "profiles", id], ["disabled"], unrecognized(`auth.profiles.${id}`));
        if (profile.mode === undefined) {
          // Metadata only: we read a profile's type from its stored credential, so with none stored
          // the commonest mode keeps OpenClaw running and changes nothing for us.
          const stored = ctx.profileMode?.(id);
          const mode = stored ?? "api_key";
          yield {
            key: `auth.profiles.${id}.mode`,
            why: 'missing: OpenClaw requires one of "api_key", "aws-sdk", "oauth", "token"',
            fix:
              stored !== undefined
                ? `set to "${mode}", the stored credential's type`
                : `set to "${mode}" (no stored credential says otherwise)`,
            apply: () => void (profile.mode = mode),
          };
        }
      }
    },
  },
  {
    *find(raw) {
      const env = at(raw, "env");
      if (!env) return;
      for (const [k, v] of Object.entries(env)) {
        if (ENV_SECTION_KEYS.has(k)) continue;
        yield {
          key: `env.${k}`,
          why: `env: Unrecognized key: "${k}" (variables belong in env.vars)`,
          fix: typeof v === "string" ? "moved into env.vars" : undefined,
          ...(typeof v === "string"
            ? {
                apply: () => {
                  const vars = objectAt(env, "vars");
                  vars[k] ??= v;
                  delete env[k];
                },
              }
            : {}),
        };
      }
    },
  },
  {
    *find(raw) {
      for (const [p, provider] of Object.entries(at(raw, "models", "providers") ?? {})) {
        if (!isRawObject(provider)) continue;
        yield* movedKeys(raw, ["models", "providers", p], ["oauth"], unrecognized(`models.providers.${p}`));
        const models = Array.isArray(provider.models) ? provider.models : [];
        for (const [i, m] of models.entries()) {
          if (!isRawObject(m) || typeof m.id !== "string") continue;
          const key = `models.providers.${p}.models[${i}]`;
          if (m.alias !== undefined) {
            const alias = m.alias;
            yield {
              key: `${key}.alias`,
              why: 'Unrecognized key: "alias" (OpenClaw names aliases in agents.defaults.models)',
              fix: `moved to agents.defaults.models["${p}/${m.id}"].alias`,
              apply: () => {
                const entry = objectAt(raw, "agents", "defaults", "models", `${p}/${m.id}`);
                entry.alias ??= alias;
                delete m.alias;
              },
            };
          }
          if (typeof m.name !== "string") {
            yield {
              key: `${key}.name`,
              why: "missing: OpenClaw requires a name for each model",
              fix: `set to "${m.id}"`,
              apply: () => void (m.name = m.id),
            };
          }
        }
      }
    },
  },
  {
    *find(raw, ctx) {
      const session = at(raw, "session");
      if (!session) return;
      if (isRawObject(session.store)) {
        yield* movedKeys(raw, ["session"], ["store"], () => "expected string, received object (our session store)");
      } else if (isFormerSqliteStore(session.store, ctx.stateDir)) {
        const file = session.store;
        yield {
          key: "session.store",
          why: "names our SQLite session store; OpenClaw reads this key as the path of its own JSON store",
          fix: "moved to model-gateway.json as { kind: sqlite, path }",
          apply: (own) => {
            const target = objectAt(own, "session");
            target.store ??= { kind: "sqlite", path: file };
            delete session.store;
          },
        };
      }
      yield* movedKeys(raw, ["session"], ["cacheSize"], unrecognized("session"));
    },
  },
  {
    *find(raw) {
      const gateway = at(raw, "gateway");
      if (!gateway) return;
      yield* movedKeys(raw, ["gateway"], ["metrics"], unrecognized("gateway"));
      yield* movedKeys(raw, ["gateway"], ["allowedHosts"], unrecognized("gateway"));
      if (gateway.port === 0)
        yield* movedKeys(raw, ["gateway"], ["port"], () => "must be 1 or more (0, any free port, is ours)");
      const bind = gateway.bind;
      if (typeof bind === "string" && !BIND_MODE_SET.has(bind)) {
        const mode = HOST_ALIASES[bind];
        const why = `"${bind}": allowed binds are auto, lan, loopback, custom, tailnet`;
        if (mode !== undefined)
          yield { key: "gateway.bind", why, fix: `set to "${mode}"`, apply: () => void (gateway.bind = mode) };
        else if (isIPv4(bind))
          yield {
            key: "gateway.bind",
            why,
            fix: `set to "custom" with customBindHost "${bind}"`,
            apply: () => {
              gateway.bind = "custom";
              gateway.customBindHost = bind;
            },
          };
        else yield* movedKeys(raw, ["gateway"], ["bind"], () => why);
      }
    },
  },
  // No `usage` section is OpenClaw's: all of it is ours.
  { find: (raw) => movedKeys(raw, [], ["usage"], () => 'Unrecognized key: "usage" (a setting of ours)') },
  {
    *find(raw) {
      const agents = at(raw, "agents");
      if (!agents) return;
      const entries = at(raw, "agents", "entries");
      if (Array.isArray(agents.list) && entries) {
        const list = agents.list as unknown[];
        yield {
          key: "agents.list",
          why: 'Unrecognized key: "list" beside agents.entries',
          fix: "merged into agents.entries",
          apply: () => {
            for (const item of list) {
              if (!isRawObject(item) || typeof item.id !== "string") continue;
              const { id, default: isDefault, ...rest } = item;
              entries[id] ??= rest;
              if (isDefault === true) objectAt(agents, "defaults", "systemAgent").agentId ??= id;
            }
            delete agents.list;
          },
        };
      }
      const ids = new Set([...Object.keys(entries ?? {}), ...listIds(agents.list)]);
      const system = at(raw, "agents", "defaults", "systemAgent");
      const systemId = system?.agentId;
      if (typeof systemId === "string" && entries && !ids.has(systemId))
        yield {
          key: "agents.defaults.systemAgent.agentId",
          why: `Unknown agent id "${systemId}" (not in agents.entries)`,
          fix: `added agents.entries.${systemId}`,
          apply: () => void (entries[systemId] ??= {}),
        };
      // Counted after the fixes above may add entries: `doctor --fix` runs the rules twice.
      if (entries && Object.keys(entries).length >= 2 && agents.ownership === undefined)
        yield {
          key: "agents.ownership",
          why: 'multi-agent rosters require agents.ownership="explicit"',
          fix: 'set to "explicit"',
          apply: () => void (agents.ownership = "explicit"),
        };
    },
  },
  {
    *find(raw) {
      for (const channel of ["telegram", "discord"]) {
        const section = at(raw, "channels", channel);
        if (!section) continue;
        const mode = section.streaming;
        if (typeof mode === "string")
          yield {
            key: `channels.${channel}.streaming`,
            why: "must be object (OpenClaw's form is { mode })",
            fix: `set to { mode: "${mode}" }`,
            apply: () => void (section.streaming = { mode }),
          };
      }
      yield* movedKeys(
        raw,
        ["channels", "discord"],
        ["guildIds", "apiBase", "interactions"],
        () => "must not have additional properties",
      );
      yield* movedKeys(raw, ["channels"], ["console"], () => "unknown channel id: console");
    },
  },
];

function listIds(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((a) => (isRawObject(a) && typeof a.id === "string" ? [a.id] : []));
}

/** Every key of `openclaw.json` that OpenClaw would refuse and we know how to read, with why. */
export function legacyKeys(raw: RawObject, ctx: LegacyContext): LegacyKey[] {
  return RULES.flatMap((r) => [...r.find(raw, ctx)].map(({ key, why, fix }) => ({ key, why, fix })));
}

/**
 * Rewrites `raw` (the text of `openclaw.json`) into keys OpenClaw accepts, moving settings of ours
 * into `own` (the text of `model-gateway.json`; a value already there wins). Returns what it did,
 * one line per key; keys it cannot fix stay, and {@link legacyKeys} still names them.
 */
export function migrateLegacy(raw: RawObject, own: RawObject, ctx: LegacyContext): string[] {
  const done: string[] = [];
  // Twice: a fix may create what another rule then needs (an added agent entry makes a roster).
  for (let pass = 0; pass < 2; pass++) {
    for (const rule of RULES) {
      for (const found of [...rule.find(raw, ctx)]) {
        if (found.apply === undefined || found.fix === undefined) continue;
        found.apply(own);
        done.push(`${found.key}: ${found.fix}`);
      }
    }
  }
  return done;
}
