import type { CliIo } from "./io.js";
import { openCliContext } from "./cli-context.js";
import { readSecret } from "./secret-input.js";
import { parseDuration } from "./duration.js";
import { knownProvider, saveCredential } from "./save-credential.js";
import { EXIT, fail } from "./errors.js";
import { keyShapeMismatch, refuseForeignProfilePrefix } from "./key-shape.js";
import { checkCredentialShape } from "./credential-shape.js";
import { confirm } from "./confirm.js";
import { parseRefFlag } from "../auth/secret-ref.js";

/** Flags of `models auth paste-token` / `paste-api-key`. */
export interface PasteOptions {
  readonly provider?: string;
  readonly profileId?: string;
  readonly expiresIn?: string;
  readonly agent?: string;
  /** `paste-api-key --ref env:NAME` (or `file:<provider>:<id>`, `exec:<provider>:<id>`): store a SecretRef, read no secret. */
  readonly ref?: string;
}

/** `openclaw models auth paste-token`: a token from stdin or a hidden prompt, stored as `type: token`. */
export async function runPasteToken(io: CliIo, opts: PasteOptions): Promise<number> {
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    const provider = knownProvider(cli, opts.provider);
    refuseForeignProfilePrefix(cli.ctx.catalog, provider, opts.profileId);
    const ttl = opts.expiresIn !== undefined ? parseDuration(opts.expiresIn) : undefined;
    const label =
      provider === "anthropic"
        ? "Paste the Anthropic setup-token (from `claude setup-token`)"
        : `Paste the ${provider} token`;
    const secret = await readSecret(io, label);
    await saveCredential(cli, {
      provider,
      type: "token",
      secret,
      profileId: opts.profileId,
      expires: ttl === undefined ? undefined : io.clock() + ttl,
    });
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}

/** `openclaw models auth paste-api-key`: an API key from stdin or a hidden prompt, stored as `type: api_key`. */
export async function runPasteApiKey(io: CliIo, opts: PasteOptions): Promise<number> {
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    const provider = knownProvider(cli, opts.provider);
    refuseForeignProfilePrefix(cli.ctx.catalog, provider, opts.profileId);
    if (opts.ref !== undefined) {
      const ref = parseRefFlag(opts.ref);
      if (!ref)
        fail(
          "bad_secret_ref",
          `"${opts.ref}" is not a SecretRef.`,
          "Use --ref env:NAME (an upper-case variable name), file:<provider>:<json-pointer> or exec:<provider>:<id>.",
        );
      await saveCredential(cli, { provider, type: "api_key", secret: "", ref, profileId: opts.profileId });
      return EXIT.ok;
    }
    const name = cli.ctx.catalog.providers.get(provider)?.name ?? provider;
    const secret = await readSecret(io, `Paste the ${name} API key`);
    // Values that are certainly wrong (a setup-token, another provider's key) are refused first.
    checkCredentialShape(provider, "api_key", secret);
    const mismatch = keyShapeMismatch(provider, name, secret);
    if (mismatch !== undefined && io.stdin.isTTY && !(await confirm(io, `${mismatch} Store it anyway?`))) {
      io.err("Nothing was stored.");
      return EXIT.problem;
    }
    await saveCredential(cli, { provider, type: "api_key", secret, profileId: opts.profileId });
    // Said only once it is true: a paste that then fails says nothing but its error.
    if (mismatch !== undefined && !io.stdin.isTTY)
      io.err(`warning: ${mismatch} Stored anyway; check it with \`openclaw models status --probe\`.`);
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}
