import type { CliIo } from "./io.js";
import { openCliContext, type CliContext } from "./cli-context.js";
import { knownProvider } from "./save-credential.js";
import { modelSettingSource } from "./status-report.js";
import { configuredFallbacks } from "../config/agents.js";
import type { Catalog, CatalogModel } from "../models/catalog.js";
import { providerOf, resolveModelRef } from "../models/ref.js";
import { EXIT } from "./errors.js";
import { columns, toJson } from "./format.js";
import { isRetired, retirementText } from "../models/retirement.js";

/** Flags of `openclaw models list`. */
export interface ModelsListOptions {
  readonly all?: boolean;
  readonly provider?: string;
  readonly agent?: string;
  readonly json?: boolean;
  readonly plain?: boolean;
}

/** A listed model: a catalog entry, or a configured ref the catalog lacks (no name, no sizes). */
type Listed = Pick<CatalogModel, "ref" | "id" | "name" | "origin" | "contextWindow" | "maxTokens" | "deprecated">;

function contextText(tokens: number | undefined): string {
  if (tokens === undefined) return "";
  return tokens >= 1_000_000
    ? `${(tokens / 1_000_000).toFixed(tokens % 1_000_000 ? 1 : 0)}M ctx`
    : `${Math.round(tokens / 1000)}k ctx`;
}

/**
 * The agent's configured models, as OpenClaw's list shows them without `--all`: the default, each
 * fallback (`fallback#1`, ...) and every `agents.defaults.models` key (`configured`), each once,
 * with its tags. Entries that name no model are listed as written.
 */
function configuredModels(catalog: Catalog, cli: CliContext, defaultRef: string): Map<string, string[]> {
  const config = cli.ctx.loaded.config;
  const tags = new Map<string, string[]>();
  const add = (written: string, tag: string) => {
    const r = resolveModelRef(catalog, written);
    const ref = r.ok ? r.value.ref : written;
    tags.set(ref, [...(tags.get(ref) ?? []), tag]);
  };
  add(defaultRef, "default");
  configuredFallbacks(config, cli.agentId).refs.forEach((f, i) => add(f, `fallback#${i + 1}`));
  for (const ref of Object.keys(config.agents?.defaults?.models ?? {})) if (!ref.endsWith("/*")) add(ref, "configured");
  return tags;
}

/**
 * `openclaw models list`: the configured models (see {@link configuredModels}); with `--all` the
 * whole catalog and with `--provider` one provider's, as OpenClaw lists them. Per provider: whether
 * it has a usable credential (asked of the resolver, never worked out here); per model: aliases,
 * retirement dates of deprecated models and its tags.
 */
export async function runModelsList(io: CliIo, opts: ModelsListOptions): Promise<number> {
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    const { catalog, loaded } = cli.ctx;
    const primary = modelSettingSource(loaded.config, cli.agentId).primary ?? catalog.defaultModel;
    const resolved = resolveModelRef(catalog, primary);
    const defaultRef = resolved.ok ? resolved.value.ref : primary;
    const only = opts.provider !== undefined ? knownProvider(cli, opts.provider) : undefined;
    const tags = configuredModels(catalog, cli, defaultRef);
    const whole = opts.all === true || only !== undefined;
    const wanted =
      only !== undefined
        ? [only]
        : whole
          ? [...catalog.providers.keys()]
          : [...new Set([...tags.keys()].map(providerOf))];

    const providers = wanted.map((id) => {
      const p = catalog.providers.get(id);
      const res = cli.resolver.resolve({ agentId: cli.agentId, provider: id });
      const listed: Listed[] = whole
        ? [...(p?.models ?? [])]
        : [...tags.keys()]
            .filter((ref) => providerOf(ref) === id)
            .map((ref) => catalog.models.get(ref) ?? { ref, id: ref.slice(id.length + 1), name: "", origin: "config" });
      return {
        id,
        name: p?.name ?? id,
        api: p?.api ?? "",
        baseUrl: p?.baseUrl ?? "",
        auth: {
          usable: res.chosen !== undefined,
          effective: res.chosen?.id ?? null,
          type: res.chosen?.type ?? null,
          reasonCode: res.error?.code ?? null,
        },
        models: listed.map((m) => ({
          ref: m.ref,
          id: m.id,
          name: m.name,
          aliases: catalog.aliasesOf(m.ref),
          contextWindow: m.contextWindow ?? null,
          maxTokens: m.maxTokens ?? null,
          deprecated: m.deprecated ?? null,
          retired: m.deprecated !== undefined && isRetired(m.deprecated, io.clock()),
          origin: m.origin,
          inCatalog: catalog.models.has(m.ref),
          default: m.ref === defaultRef,
          tags: [...(tags.get(m.ref) ?? []), ...catalog.aliasesOf(m.ref).map((a) => `alias:${a}`)],
        })),
      };
    });
    const rows = providers.flatMap((p) =>
      p.models.map((m) => ({
        key: m.ref,
        name: m.name,
        contextWindow: m.contextWindow,
        available: p.auth.usable,
        tags: m.tags,
      })),
    );

    if (opts.json) {
      io.out(toJson({ count: rows.length, models: rows, agentId: cli.agentId, defaultModel: defaultRef, providers }));
      return EXIT.ok;
    }
    if (opts.plain) {
      if (rows.length) io.out(rows.map((r) => r.key).join("\n"));
      return EXIT.ok;
    }
    const lines: string[] = [];
    for (const p of providers) {
      const auth = !catalog.providers.has(p.id)
        ? "unknown provider: add it under models.providers"
        : p.auth.usable
          ? `auth: ${p.auth.effective} (${p.auth.type})`
          : `auth: none (openclaw models auth paste-api-key --provider ${p.id}${cli.agentFlag})`;
      if (lines.length) lines.push("");
      lines.push(`${p.id} (${p.name}) · ${auth}`);
      const table = p.models.map((m) => {
        const notes = [
          m.default ? "default" : "",
          ...m.tags.filter((t) => t.startsWith("fallback#")).map((t) => `fallback ${t.slice("fallback".length)}`),
          m.aliases.length ? `alias ${m.aliases.join(", ")}` : "",
          m.deprecated ? retirementText(m.deprecated, io.clock()) : "",
          m.inCatalog ? (m.origin === "config" ? "from config" : "") : "not in the catalog",
        ].filter(Boolean);
        return [m.ref, m.name, contextText(m.contextWindow ?? undefined), notes.join(" · ")];
      });
      lines.push(...columns(table, "  "));
    }
    if (!whole)
      lines.push("", "Configured models only; --all lists the whole catalog, --provider <id> one provider's.");
    io.out(lines.join("\n"));
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}
