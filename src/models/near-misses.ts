import type { Catalog } from "./catalog.js";
import { providerOf, type ResolvedModel } from "./ref.js";
import { closestMatches } from "../util/closest.js";

/**
 * The catalog refs of `ref`'s provider nearest to its model id, best first: for
 * `anthropic/opuss`, `anthropic/claude-opus-5-5` (through the alias `opus`). An alias leads to the
 * model it names. Empty when the provider is unknown or nothing is near.
 */
export function closestCatalogRefs(catalog: Catalog, ref: string, max = 3): string[] {
  const provider = providerOf(ref);
  const known = catalog.providers.get(provider);
  if (!known) return [];
  const targets = new Map<string, string>();
  for (const m of known.models) targets.set(m.id, m.ref);
  for (const [alias, target] of catalog.aliases) if (providerOf(target) === provider) targets.set(alias, target);
  const near = closestMatches(ref.slice(provider.length + 1), targets.keys(), max * 2).map(
    (name) => targets.get(name) ?? name,
  );
  return [...new Set(near)].slice(0, max);
}

/** `anthropic/opuss is not in the catalog; did you mean anthropic/claude-opus-5-5?` (or without the question). */
export function notInCatalogText(catalog: Catalog, ref: string): string {
  const near = closestCatalogRefs(catalog, ref);
  return `${ref} is not in the catalog${near.length ? `; did you mean ${near.join(", ")}?` : " (check the id if requests fail)"}`;
}

/**
 * The note on a bare id read with the default provider ({@link ResolvedModel.withDefaultProvider}):
 * `anthropic/claude-3-5-sonnet is not in the catalog: the bare id was read with the default
 * provider, anthropic; write provider/model for another`.
 */
export function defaultProviderText(model: ResolvedModel): string {
  return `${model.ref} is not in the catalog: the bare id was read with the default provider, ${model.provider}; write provider/model for another (check the id if requests fail)`;
}
