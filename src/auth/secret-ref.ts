import fs from "node:fs";
import path from "node:path";
import * as z from "zod/mini";
import "../util/zod-messages.js";
import type { LoadedEnv } from "../config/env.js";
import { untrusted, untrustedProgram, untrustedText } from "../util/file-trust.js";
import { type ExecRun, MAX_EXEC_OUTPUT_BYTES, runExecProgram } from "./exec-ref.js";

/**
 * OpenClaw's SecretRef: where a profile's secret is kept instead of the store itself
 * (`keyRef` / `tokenRef`). `env` reads a variable, `file` a private JSON or single-value file,
 * `exec` runs a resolver program; `file` and `exec` name a provider under `secrets.providers`.
 */
export const secretRefSchema = z.looseObject({
  source: z.string(),
  provider: z._default(z.string(), "default"),
  id: z.string(),
});
export type SecretRef = z.infer<typeof secretRefSchema>;

/** A provider entry of `secrets.providers.<alias>` (OpenClaw's names; unknown fields ignored). */
export const secretProviderSchema = z.looseObject({
  source: z.enum(["env", "file", "exec"]),
  path: z.optional(z.string()),
  mode: z.optional(z.enum(["json", "singleValue"])),
  command: z.optional(z.string()),
  args: z.optional(z.array(z.string())),
  passEnv: z.optional(z.array(z.string())),
  env: z.optional(z.record(z.string(), z.string())),
  timeoutMs: z.optional(z.int().check(z.positive())),
  maxOutputBytes: z.optional(z.int().check(z.positive())),
  jsonOnly: z.optional(z.boolean()),
  allowlist: z.optional(z.array(z.string())),
});
export type SecretProvider = z.infer<typeof secretProviderSchema>;

/** The outcome of resolving a ref. `why` never holds the secret, nor anything a program printed. */
export type SecretRefResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly why: string };

/** What resolution may read: the environment SecretRefs may see and the configured providers. */
export interface SecretRefContext {
  /** Never the working directory's `.env` ({@link LoadedEnv.forRefs}). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Variables only the working directory's `.env` sets: a ref naming one says that it is ignored there. */
  readonly onlyInCwd?: ReadonlySet<string>;
  /** `secrets.providers` of the config as written; each entry is checked when a ref uses it. */
  readonly providers: unknown;
  /**
   * The config file that defines `providers`. While someone else could change it, file and exec
   * refs are refused: it decides which program runs and which file is read.
   */
  readonly configPath?: string;
}

/** The configured provider `alias`, if it is one we can use. */
function providerOf(ctx: SecretRefContext, alias: string): SecretProvider | undefined {
  if (typeof ctx.providers !== "object" || ctx.providers === null || !Object.hasOwn(ctx.providers, alias))
    return undefined;
  const parsed = secretProviderSchema.safeParse((ctx.providers as Record<string, unknown>)[alias]);
  return parsed.success ? parsed.data : undefined;
}

/** `secrets.providers` of a loaded config (a loose section: OpenClaw has more kinds than we resolve). */
export function secretProvidersOf(config: Readonly<Record<string, unknown>>): unknown {
  const s = config["secrets"];
  return typeof s === "object" && s !== null ? (s as { providers?: unknown }).providers : undefined;
}

const DEFAULT_TIMEOUT_MS = 5000;
const MAX_BYTES = MAX_EXEC_OUTPUT_BYTES;

/** `env:NAME`, the short form people type, for messages. Never a secret. */
export function describeRef(ref: SecretRef): string {
  return ref.source === "env" && ref.provider === "default"
    ? `env:${ref.id}`
    : `${ref.source}:${ref.provider}:${ref.id}`;
}

/**
 * Parses the `--ref` form: `env:NAME`, `file:<provider>:<json-pointer>` or `exec:<provider>:<id>`.
 * Returns `undefined` for anything else.
 */
export function parseRefFlag(text: string): SecretRef | undefined {
  const m = /^(env|file|exec):(.+)$/.exec(text.trim());
  if (!m?.[1] || !m[2]) return undefined;
  if (m[1] === "env")
    return /^[A-Z][A-Z0-9_]{0,127}$/.test(m[2]) ? { source: "env", provider: "default", id: m[2] } : undefined;
  const colon = m[2].indexOf(":");
  if (colon <= 0 || colon === m[2].length - 1) return undefined;
  return { source: m[1], provider: m[2].slice(0, colon), id: m[2].slice(colon + 1) };
}

/** Follows an RFC 6901 JSON pointer (`/a/b`, `~1` = `/`, `~0` = `~`). */
function atPointer(doc: unknown, pointer: string): unknown {
  if (pointer === "") return doc;
  let cur = doc;
  for (const seg of pointer.slice(1).split("/")) {
    const key = seg.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof cur !== "object" || cur === null || !(key in cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function nonEmpty(value: unknown, what: string): SecretRefResult {
  return typeof value === "string" && value.trim() !== ""
    ? { ok: true, value: value.trim() }
    : { ok: false, why: `${what} is not set or empty` };
}

function fromEnv(ref: SecretRef, ctx: SecretRefContext): SecretRefResult {
  const provider = providerOf(ctx, ref.provider);
  if (provider && provider.source !== "env")
    return { ok: false, why: `secrets.providers.${ref.provider} is not an env provider` };
  if (!provider && ref.provider !== "default")
    return { ok: false, why: `no env provider ${ref.provider} under secrets.providers` };
  if (provider?.allowlist && !provider.allowlist.includes(ref.id))
    return { ok: false, why: `${ref.id} is not in secrets.providers.${ref.provider}.allowlist` };
  if (ctx.env[ref.id] === undefined && ctx.onlyInCwd?.has(ref.id))
    return {
      ok: false,
      why: `environment variable ${ref.id} is set only in the working directory's .env, which SecretRefs never read; move it to <state>/.env`,
    };
  return nonEmpty(ctx.env[ref.id], `environment variable ${ref.id}`);
}

function fromFile(ref: SecretRef, provider: SecretProvider): SecretRefResult {
  if (!provider.path) return { ok: false, why: `secrets.providers.${ref.provider} has no path` };
  const file = provider.path.startsWith("~/")
    ? path.join(process.env.HOME ?? "", provider.path.slice(2))
    : provider.path;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return { ok: false, why: `${file} does not exist` };
  }
  // As OpenClaw requires: a private regular file, not a link, so nobody else can read or swap it.
  if (!st.isFile() || st.nlink !== 1)
    return { ok: false, why: `${file} is not a private regular file (no symlinks or hard links)` };
  if ((st.mode & 0o077) !== 0) return { ok: false, why: `${file} is readable by others; chmod 600 it` };
  const unsafe = untrusted(file);
  if (unsafe !== undefined) return { ok: false, why: untrustedText(unsafe) };
  if (st.size > MAX_BYTES) return { ok: false, why: `${file} is larger than 1 MiB` };
  const text = fs.readFileSync(file, "utf8");
  if (provider.mode === "singleValue")
    return ref.id === "value"
      ? nonEmpty(text.replace(/\r?\n$/, ""), file)
      : { ok: false, why: `a singleValue file is read with id "value"` };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, why: `${file} is not valid JSON` };
  }
  return nonEmpty(atPointer(doc, ref.id), `${ref.id} in ${file}`);
}

/** An exec ref that passed every check: the program run that answers it. */
export interface ExecPlan {
  readonly ref: SecretRef;
  readonly provider: SecretProvider;
  readonly run: ExecRun;
}

function execPlan(ref: SecretRef, provider: SecretProvider, ctx: SecretRefContext): ExecPlan | SecretRefResult {
  const command = provider.command;
  if (!command || !path.isAbsolute(command))
    return { ok: false, why: `secrets.providers.${ref.provider}.command must be an absolute path` };
  const unsafe = untrustedProgram(command);
  if (unsafe !== undefined) return { ok: false, why: `${command} is not run: ${untrustedText(unsafe)}` };
  const env: Record<string, string> = { ...provider.env };
  for (const name of provider.passEnv ?? []) {
    const v = ctx.env[name];
    if (v !== undefined) env[name] = v;
  }
  return {
    ref,
    provider,
    run: {
      command,
      args: provider.args ?? [],
      input: JSON.stringify({ protocolVersion: 1, provider: ref.provider, ids: [ref.id] }),
      env,
      timeoutMs: provider.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxOutputBytes: provider.maxOutputBytes ?? MAX_BYTES,
    },
  };
}

/** The secret in a resolver program's answer (OpenClaw's `{ values: { <id>: … } }`). */
function fromExecOutput(plan: ExecPlan, stdout: string): SecretRefResult {
  const { ref, provider } = plan;
  const { command } = plan.run;
  let out: unknown;
  try {
    out = JSON.parse(stdout);
  } catch {
    if (provider.jsonOnly === false) return nonEmpty(stdout, `the output of ${command}`);
    return { ok: false, why: `${command} did not print the JSON response` };
  }
  const values = typeof out === "object" && out !== null ? (out as { values?: unknown }).values : undefined;
  const value = typeof values === "object" && values !== null ? (values as Record<string, unknown>)[ref.id] : undefined;
  return value === undefined
    ? { ok: false, why: `${command} returned no value for ${ref.id}` }
    : nonEmpty(value, `the value ${command} returned for ${ref.id}`);
}

/** Runs an exec ref's program (never blocking the event loop) and reads its answer. */
export async function runExecPlan(plan: ExecPlan): Promise<SecretRefResult> {
  const r = await runExecProgram(plan.run);
  return r.ok ? fromExecOutput(plan, r.stdout) : r;
}

/** Whether {@link prepareSecretRef} answered with a program to run rather than a result. */
export function isExecPlan(x: ExecPlan | SecretRefResult): x is ExecPlan {
  return "run" in x;
}

/**
 * Resolves an env or file ref now; for an exec ref that passes its checks, the program run that
 * would answer it ({@link runExecPlan}). Never throws for a bad ref: an unresolved one says why,
 * without any secret.
 */
export function prepareSecretRef(ref: SecretRef, ctx: SecretRefContext): ExecPlan | SecretRefResult {
  if (ref.source === "env") return fromEnv(ref, ctx);
  if (ref.source !== "file" && ref.source !== "exec")
    return { ok: false, why: `source "${ref.source}" is not supported here` };
  const provider = providerOf(ctx, ref.provider);
  if (!provider || provider.source !== ref.source)
    return { ok: false, why: `no ${ref.source} provider ${ref.provider} under secrets.providers` };
  const config = ctx.configPath !== undefined ? untrusted(ctx.configPath) : undefined;
  if (config !== undefined) return { ok: false, why: `${ref.source} refs are refused: ${untrustedText(config)}` };
  return ref.source === "file" ? fromFile(ref, provider) : execPlan(ref, provider, ctx);
}

/** Resolves any ref, running an exec ref's program. Never throws for a bad ref. */
export async function resolveSecretRef(ref: SecretRef, ctx: SecretRefContext): Promise<SecretRefResult> {
  const r = prepareSecretRef(ref, ctx);
  return isExecPlan(r) ? runExecPlan(r) : r;
}
