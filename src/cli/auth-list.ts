import { listProfiles } from "../auth/profiles.js";
import { formatDuration, healthOf } from "../auth/health.js";
import { maskSecret } from "../util/mask.js";
import { describeRef } from "../auth/secret-ref.js";
import type { CliIo } from "./io.js";
import { openCliContext } from "./cli-context.js";
import { storedOrKnownProvider } from "./save-credential.js";
import { EXIT } from "./errors.js";
import { columns, expiryText, healthWord, isoOrNull, toJson } from "./format.js";

/** Flags of `models auth list`. */
export interface AuthListOptions {
  readonly provider?: string;
  readonly agent?: string;
  readonly json?: boolean;
}

/**
 * `openclaw models auth list`: the agent's stored profiles with masked secrets, health, expiry,
 * config flags and active cooldowns (reason and time left). Never prints a secret.
 */
export async function runAuthList(io: CliIo, opts: AuthListOptions): Promise<number> {
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    const now = io.clock();
    // A typo (`--provider antropic`) would otherwise read as "no stored profiles" and exit 0.
    const provider = opts.provider === undefined ? undefined : storedOrKnownProvider(cli, opts.provider);
    const meta = cli.ctx.loaded.config.auth?.profiles ?? {};
    const profiles = listProfiles(cli.profiles())
      .filter((p) => provider === undefined || p.provider === provider)
      .map((p) => {
        const cooldowns = (cli.cooldowns.get(p.id)?.cooldowns ?? [])
          .filter((c) => c.until > now)
          .map((c) => ({
            reason: c.reason,
            model: c.model ?? null,
            until: new Date(c.until).toISOString(),
            remainingMs: c.until - now,
            errorCount: c.errorCount,
          }));
        const disabled = meta[p.id]?.disabled === true;
        return {
          id: p.id,
          provider: p.provider,
          type: p.type,
          masked: p.ref ? `ref ${describeRef(p.ref)}` : maskSecret(p.secret),
          health: healthOf(p.expires, now),
          expiresAt: isoOrNull(p.expires),
          ...(p.email !== undefined ? { email: p.email } : {}),
          inConfig: meta[p.id] !== undefined,
          disabled,
          cooldowns,
          recovery: disabled
            ? `remove auth.profiles.${p.id}.disabled from ${cli.ctx.loaded.path}`
            : cooldowns.length
              ? `none needed: retried automatically in ${formatDuration(Math.max(...cooldowns.map((c) => c.remainingMs)))}`
              : null,
        };
      });

    if (opts.json) {
      io.out(toJson({ agentId: cli.agentId, file: cli.store.pathFor(cli.agentId), profiles }));
      return EXIT.ok;
    }
    const scope = provider ? ` for ${provider}` : "";
    if (profiles.length === 0) {
      io.out(`No stored profiles${scope} (agent ${cli.agentId}, ${cli.store.pathFor(cli.agentId)}).`);
      io.out(`Add one with: openclaw models auth paste-api-key --provider ${provider ?? "<provider>"}${cli.agentFlag}`);
      return EXIT.ok;
    }
    io.out(`Profiles${scope} (agent ${cli.agentId}, ${cli.store.pathFor(cli.agentId)})`);
    const rows = profiles.map((p) => {
      const flags = [
        p.disabled ? "disabled in config" : "",
        ...p.cooldowns.map(
          (c) => `cooldown ${formatDuration(c.remainingMs)} (${c.reason}${c.model ? ` on ${c.model}` : ""})`,
        ),
        p.email ?? "",
      ].filter(Boolean);
      return [
        p.id,
        p.provider,
        p.type,
        p.masked,
        healthWord(p.health),
        expiryText(p.expiresAt === null ? undefined : Date.parse(p.expiresAt), now),
        flags.join(", "),
      ];
    });
    io.out(columns(rows, "  ").join("\n"));
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}
