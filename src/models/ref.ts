import type { Catalog, CatalogModel } from "./catalog.js";
import { closestMatches } from "../util/closest.js";
import { SECRET_IN_INPUT, userError, type Result } from "../util/user-error.js";
import { containsSecretShape } from "../util/mask.js";
import { ANTHROPIC, anthropicModelId, canonicalRef, compatRef } from "./shorthand.js";

// An `@` part that is part of the model id, not a profile: a version or date (`@2024-10-22`,
// `@20240620`, `@v1.2`, `@latest`, `@1.0.0-beta.1`, `@2.1.0+exp.sha.5114f85`), or a local model's
// quantisation (`@iq3_xxs`, `@q4_k_m`, `@Q8_0`, `@4bit`, and the float and integer formats `@f16`,
// `@bf16`, `@fp8`, `@int4`, `@mxfp4`).
const VERSION_PART = /^(v?\d+([.\-_]\d+)*(-[0-9a-z]+(\.[0-9a-z-]+)*)?(\+[0-9a-z]+(\.[0-9a-z-]+)*)?|latest)$/i;
const SPACE = /\s/;
const QUANT_PART = /^(?:i?q\d+(?:_[a-z0-9]+)*|\d+bit|b?f\d+|fp\d+|int\d+|(?:mx|nv)fp\d+)$/i;

/** A model selection as typed: the model part and, when given, the profile to pin. */
export interface ModelSelection {
  readonly ref: string;
  readonly profile?: string;
}

/**
 * Splits `ref@profile`: at the first `@` after the last `/` whose part (up to the next `@`) is
 * not a version or quantisation, so `openai/qwen3.6-27b@iq3_xxs@work` pins `work` on
 * `qwen3.6-27b@iq3_xxs`. `x@` gives an empty profile, which callers reject.
 */
export function splitProfile(text: string): ModelSelection {
  let at = text.indexOf("@", text.lastIndexOf("/") + 1);
  while (at >= 0) {
    const next = text.indexOf("@", at + 1);
    const part = text.slice(at + 1, next < 0 ? undefined : next);
    if (!VERSION_PART.test(part) && !QUANT_PART.test(part))
      return { ref: text.slice(0, at), profile: text.slice(at + 1) };
    at = next;
  }
  return { ref: text };
}

/** A model the user asked for, resolved against the catalog. */
export interface ResolvedModel {
  readonly provider: string;
  readonly ref: string;
  /** The catalog entry, absent for a model of a known provider that the catalog lacks. */
  readonly model?: CatalogModel;
  /** The alias the user typed, when they typed one. */
  readonly viaAlias?: string;
  /**
   * True when a bare id that no catalog has, and that is no near miss of one, was read with the
   * default provider (`claude-3-5-sonnet` → `anthropic/claude-3-5-sonnet`), as OpenClaw's
   * `parseModelRef` does; callers say so.
   */
  readonly withDefaultProvider?: boolean;
}

/**
 * Resolves an alias (case-insensitive), a `provider/model` ref, or a bare model id that exactly one
 * model matches: in the catalog, or among `known` refs (the allowlist and configured models, which
 * may name models the catalog lacks). OpenClaw's other spellings are rewritten first: see
 * `shorthand.ts` (`openrouter:auto`, `anthropic/opus-4.6`, `sonnet-4.6`), and `provider/<alias>`
 * names the alias's model when it is one of that provider's.
 *
 * A bare id that matches nothing is a near miss when {@link closestMatches} finds a catalogued
 * alias or ref close to it (edit distance at most max(2, ⌊length/3⌋) from the ref or its model id,
 * or, from 3 characters on, contained in one). A near miss, or an ambiguous id, is refused with
 * the closest matches (every match, when several providers serve the id) and the command that
 * lists models. Any other bare id is read with `defaultProvider` (a known provider), flagged
 * {@link ResolvedModel.withDefaultProvider}; without one it is refused too.
 */
export function resolveModelRef(
  catalog: Catalog,
  input: string,
  known: readonly string[] = [],
  defaultProvider?: string,
): Result<ResolvedModel> {
  const text = compatRef(input.trim());
  if (text === "")
    return { ok: false, error: userError("empty_model", "No model given.", "Use /model list to see the models.") };
  if (containsSecretShape(text)) return { ok: false, error: SECRET_IN_INPUT };
  const aliased = catalog.aliases.get(text.toLowerCase());
  if (aliased) return { ok: true, value: withModel(catalog, aliased, text) };
  const exact = catalog.models.get(text);
  if (exact) return { ok: true, value: { provider: exact.provider, ref: exact.ref, model: exact } };
  const slash = text.indexOf("/");
  if (slash > 0) {
    const provider =
      catalog.providers.get(text.slice(0, slash)) ?? catalog.providers.get(text.slice(0, slash).toLowerCase());
    const typed = text.slice(slash + 1);
    if (provider && typed !== "") {
      const id = provider.id === ANTHROPIC ? anthropicModelId(typed) : typed;
      const ci = provider.models.find((m) => m.id.toLowerCase() === id.toLowerCase());
      if (ci) return { ok: true, value: { provider: provider.id, ref: ci.ref, model: ci } };
      const alias = catalog.aliases.get(typed.toLowerCase());
      if (alias !== undefined && providerOf(alias) === provider.id)
        return { ok: true, value: withModel(catalog, alias) };
      // New models ship faster than catalogs: accept, the caller notes it is not in the catalog.
      return { ok: true, value: { provider: provider.id, ref: `${provider.id}/${id}` } };
    }
  }
  const byId = slash > 0 ? [] : bareMatches(catalog, text, known);
  if (byId.length === 0 && slash < 0) byId.push(...anthropicMatches(catalog, text, known));
  const [only] = byId;
  if (byId.length === 1 && only) return { ok: true, value: withModel(catalog, only) };
  const suggestions =
    byId.length > 1 ? byId : closestMatches(text, [...catalog.aliases.keys(), ...catalog.models.keys()]);
  if (
    suggestions.length === 0 &&
    slash < 0 &&
    !SPACE.test(text) &&
    defaultProvider !== undefined &&
    catalog.providers.has(defaultProvider)
  ) {
    const id = defaultProvider === ANTHROPIC ? anthropicModelId(text) : text;
    return {
      ok: true,
      value: { provider: defaultProvider, ref: `${defaultProvider}/${id}`, withDefaultProvider: true },
    };
  }
  const hint = suggestions.length
    ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(", ")}? Use /model list to see every model.`
    : "Use /model list to see every model.";
  return { ok: false, error: userError("unknown_model", `Unknown model "${text}".`, hint) };
}

/**
 * The provider a bare id is read with: that of the default model `configured` (an alias or one of
 * OpenClaw's spellings resolved first), as OpenClaw's `parseModelRef` takes its default provider.
 */
export function defaultProviderOf(catalog: Catalog, configured: string): string | undefined {
  const r = resolveModelRef(catalog, configured);
  return r.ok ? r.value.provider : undefined;
}

/** A bare Anthropic shorthand (`sonnet-4.6`, `claude-opus-4.6`) written as the id it stands for, when that id is known. */
function anthropicMatches(catalog: Catalog, text: string, known: readonly string[]): string[] {
  const id = anthropicModelId(text);
  const ref = `${ANTHROPIC}/${id}`;
  return id !== text.toLowerCase() && (catalog.models.has(ref) || known.includes(ref)) ? [ref] : [];
}

/** Refs whose model id (after the provider) is `id`, case-insensitively: catalog models and `known` refs of known providers. */
function bareMatches(catalog: Catalog, id: string, known: readonly string[]): string[] {
  const wanted = id.toLowerCase();
  const refs = new Set<string>();
  for (const m of catalog.models.values()) if (m.id.toLowerCase() === wanted) refs.add(m.ref);
  for (const ref of known) {
    const slash = ref.indexOf("/");
    if (slash > 0 && ref.slice(slash + 1).toLowerCase() === wanted && catalog.providers.has(ref.slice(0, slash)))
      refs.add(catalog.models.get(ref)?.ref ?? ref);
  }
  return [...refs];
}

function withModel(catalog: Catalog, ref: string, alias?: string): ResolvedModel {
  const model = catalog.models.get(ref);
  const provider = ref.slice(0, ref.indexOf("/"));
  // Assigned, not spread conditionally: V8 builds `...(x ? { a } : {})` far slower, per resolution.
  const resolved: { -readonly [K in keyof ResolvedModel]: ResolvedModel[K] } = { provider, ref };
  if (model) resolved.model = model;
  if (alias !== undefined) resolved.viaAlias = alias;
  return resolved;
}

/** The provider part of a `provider/model` ref. */
export function providerOf(ref: string): string {
  const slash = ref.indexOf("/");
  return slash < 0 ? ref : ref.slice(0, slash);
}

/** True when `ref` is allowed by an allowlist of exact refs (OpenClaw's spellings too), aliases and `provider/*` entries. */
export function isModelAllowed(catalog: Catalog, allow: readonly string[], ref: string): boolean {
  if (allow.length === 0) return true;
  for (const entry of allow) {
    if (entry === ref || canonicalRef(entry) === ref) return true;
    if (entry.endsWith("/*") && ref.startsWith(entry.slice(0, -1))) return true;
    if (catalog.aliases.get(entry.toLowerCase()) === ref) return true;
  }
  return false;
}
