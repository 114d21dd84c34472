import { normalizeProfile, type CredentialType, type RawAuthProfile } from "../auth/profiles.js";
import { maskSecret } from "../util/mask.js";
import { describeRef, type SecretRef } from "../auth/secret-ref.js";
import { closestMatches } from "../util/closest.js";
import type { CliContext } from "./cli-context.js";
import { assertConfigWritable, updateConfigFile } from "../config/write.js";
import { isRawObject, objectAt } from "../config/raw-object.js";
import { checkCredentialShape } from "./credential-shape.js";
import { fail } from "./errors.js";
import { expiryText } from "./format.js";

/** A credential to store. */
export interface NewCredential {
  readonly provider: string;
  readonly type: Exclude<CredentialType, "oauth">;
  /** The secret itself, or empty when `ref` says where it is kept. */
  readonly secret: string;
  /** A SecretRef stored instead of the secret (`keyRef`/`tokenRef`), so no secret enters the store. */
  readonly ref?: SecretRef | undefined;
  readonly profileId?: string | undefined;
  /** Epoch ms. */
  readonly expires?: number | undefined;
}

/** A provider id the catalog knows, or a clear error with the closest ids. */
export function knownProvider(cli: CliContext, provider: string | undefined): string {
  const id = provider?.trim() ?? "";
  if (cli.ctx.catalog.providers.has(id)) return id;
  const known = [...cli.ctx.catalog.providers.keys()];
  const near = closestMatches(id, known);
  fail(
    "unknown_provider",
    `Unknown provider "${id}".`,
    `${near.length ? `Did you mean ${near.join(", ")}? ` : ""}Known providers: ${known.join(", ")}. Others can be added under models.providers in the config.`,
  );
}

/**
 * A provider id for commands about what is stored (`auth list`, `auth order`, `--probe-provider`):
 * one the catalog knows, or one a stored profile names (other tools store providers we have no
 * catalog entry for). Anything else is a clear error listing both kinds.
 */
export function storedOrKnownProvider(cli: CliContext, provider: string | undefined): string {
  const id = provider?.trim() ?? "";
  const known = [...cli.ctx.catalog.providers.keys()];
  const stored = [...new Set(Object.values(cli.profiles().profiles).map((p) => p.provider))].filter(
    (p) => !known.includes(p),
  );
  if (known.includes(id) || stored.includes(id)) return id;
  const near = closestMatches(id, [...known, ...stored]);
  fail(
    "unknown_provider",
    `Unknown provider "${id}".`,
    `${near.length ? `Did you mean ${near.join(", ")}? ` : ""}Known providers: ${known.join(", ")}${stored.length ? `; with stored profiles also ${stored.join(", ")}` : ""}.`,
  );
}

/** Profile ids are `<provider>:<name>` by convention; any non-blank id without whitespace is accepted. */
export function checkProfileId(id: string): string {
  const trimmed = id.trim();
  if (trimmed === "" || /\s/.test(trimmed))
    fail(
      "bad_profile_id",
      `"${id}" is not a usable profile id.`,
      "Use the form <provider>:<name>, e.g. anthropic:work.",
    );
  return trimmed;
}

/** What a stored profile held, masked: `the api_key sk-ant-a…AbCd`, `the token ref env:ANTHROPIC_OAUTH_TOKEN`. */
function describeStored(id: string, raw: RawAuthProfile): string {
  const p = normalizeProfile(id, raw);
  return `the ${p.type} ${p.ref ? `reference to ${describeRef(p.ref)}` : maskSecret(p.secret)}`;
}

/**
 * THE credential writer of the CLI (paste-token, paste-api-key, setup-token, onboard): checks the
 * value's shape, writes the profile to the agent's auth-profiles.json (locked, atomic, 0600) and
 * records `auth.profiles.<id> = { provider, mode }` in the config. A profile id already used by
 * another provider is refused. Prints `Auth profile: <id> (<provider>/<type>)`.
 */
export async function saveCredential(cli: CliContext, cred: NewCredential): Promise<string> {
  const { io, ctx, agentId } = cli;
  io.rememberSecrets([cred.secret]);
  const provider = knownProvider(cli, cred.provider);
  if (cred.ref === undefined) checkCredentialShape(provider, cred.type, cred.secret);
  const profileId = checkProfileId(cred.profileId ?? `${provider}:manual`);

  const profile: RawAuthProfile = {
    type: cred.type,
    provider,
    ...(cred.ref !== undefined
      ? { [cred.type === "token" ? "tokenRef" : "keyRef"]: cred.ref }
      : cred.type === "token"
        ? { token: cred.secret }
        : { key: cred.secret }),
    ...(cred.expires !== undefined ? { expires: cred.expires } : {}),
  };
  assertConfigWritable(ctx.loaded.path, ctx.stateDir);
  let replaced: string | undefined;
  await cli.store.update(agentId, (file) => {
    const existing = file.profiles[profileId];
    if (existing && existing.provider !== provider) {
      fail(
        "profile_provider_mismatch",
        `Profile ${profileId} already exists for provider ${existing.provider}, not ${provider}.`,
        "Choose another --profile-id, or remove it first with `openclaw models auth logout`.",
      );
    }
    // Replacing a key with a key (rotation) is expected; silently turning a token into a key is not.
    const existingType = existing ? normalizeProfile(profileId, existing).type : undefined;
    if (existingType !== undefined && existingType !== cred.type) {
      fail(
        "profile_type_mismatch",
        `Profile ${profileId} holds a ${existingType}; this would replace it with ${cred.type === "api_key" ? "an" : "a"} ${cred.type}. Nothing was changed.`,
        `Choose another --profile-id (e.g. ${provider}:${cred.type === "api_key" ? "default" : "token"}), or remove it first with \`openclaw models auth logout ${profileId}\`.`,
      );
    }
    if (existing) replaced = describeStored(profileId, existing);
    file.profiles[profileId] = profile;
  });
  cli.forget(agentId);

  await updateConfigFile(ctx.loaded.path, ctx.stateDir, (raw) => {
    const profiles = objectAt(raw, "auth", "profiles");
    const current = profiles[profileId];
    const entry = isRawObject(current) ? current : {};
    if (entry.provider === provider && entry.mode === cred.type) return false;
    profiles[profileId] = { ...entry, provider, mode: cred.type };
    return true;
  });

  io.out(`Auth profile: ${profileId} (${provider}/${cred.type})`);
  const expiry =
    cred.expires === undefined
      ? "no expiry"
      : `expires ${new Date(cred.expires).toISOString()} (${expiryText(cred.expires, io.clock())})`;
  const what =
    cred.ref !== undefined
      ? `a reference to ${describeRef(cred.ref)} (the secret itself is not stored)`
      : maskSecret(cred.secret);
  io.out(`Stored ${what} in ${cli.store.pathFor(agentId)} · ${expiry}`);
  if (replaced !== undefined) io.out(`It replaced ${replaced}, which ${profileId} held before.`);
  if (cred.ref !== undefined) {
    const r = await cli.app.secretRefs().resolve(cred.ref);
    if (!r.ok)
      io.err(
        `note: ${describeRef(cred.ref)} cannot be resolved now (${r.why}); the profile stays unusable (unresolved_ref) until it can.`,
      );
  }

  const order = cli.profiles(agentId).order?.[provider] ?? ctx.loaded.config.auth?.order?.[provider];
  if (order && !order.includes(profileId)) {
    io.err(
      `note: the auth order for ${provider} does not list ${profileId}, so it will not be used; add it with \`openclaw models auth order set --provider ${provider} ${[...order, profileId].join(" ")}${cli.agentFlag}\`.`,
    );
  }
  if (ctx.loaded.config.auth?.profiles?.[profileId]?.disabled) {
    io.err(
      `note: ${profileId} is disabled in ${ctx.loaded.path} (auth.profiles.${profileId}.disabled); remove that key to use it.`,
    );
  }
  return profileId;
}
