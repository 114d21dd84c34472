import type { CliIo } from "./io.js";
import { openCliContext } from "./cli-context.js";
import { knownProvider } from "./save-credential.js";
import { modelSettingSource } from "./status-report.js";
import { resolveModelRef } from "../models/ref.js";
import { EXIT } from "./errors.js";
import { columns, toJson } from "./format.js";
import { isRetired, retirementText } from "../models/retirement.js";

/** Flags of `openclaw models list`. */
export interface ModelsListOptions {
  readonly provider?: string;
  readonly agent?: string;
  readonly json?: boolean;
  readonly plain?: boolean;
}

function contextText(tokens: number | undefined): string {
  if (tokens === undefined) return "";
  return tokens >= 1_000_000
    ? `${(tokens / 1_000_000).toFixed(tokens % 1_000_000 ? 1 : 0)}M ctx`
    : `${Math.round(tokens / 1000)}k ctx`;
}

/**
 * `openclaw models list`: the catalog per provider with aliases, retirement dates of deprecated
 * models, the default model marked, and whether the provider has a usable credential (asked of
 * the resolver, never worked out here).
 */
export async function runModelsList(io: CliIo, opts: ModelsListOptions): Promise<number> {
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    const { catalog, loaded } = cli.ctx;
    const primary = modelSettingSource(loaded.config, cli.agentId).primary ?? catalog.defaultModel;
    const resolved = resolveModelRef(catalog, primary);
    const defaultRef = resolved.ok ? resolved.value.ref : primary;
    const wanted = opts.provider !== undefined ? [knownProvider(cli, opts.provider)] : [...catalog.providers.keys()];

    const providers = wanted.map((id) => {
      // The provider is in `wanted` because the catalog has it.
      const p = catalog.providers.get(id);
      const res = cli.resolver.resolve({ agentId: cli.agentId, provider: id });
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
        models: (p?.models ?? []).map((m) => ({
          ref: m.ref,
          id: m.id,
          name: m.name,
          aliases: catalog.aliasesOf(m.ref),
          contextWindow: m.contextWindow ?? null,
          maxTokens: m.maxTokens ?? null,
          deprecated: m.deprecated ?? null,
          retired: m.deprecated !== undefined && isRetired(m.deprecated, io.clock()),
          origin: m.origin,
          default: m.ref === defaultRef,
        })),
      };
    });

    if (opts.json) {
      io.out(toJson({ agentId: cli.agentId, defaultModel: defaultRef, providers }));
      return EXIT.ok;
    }
    if (opts.plain) {
      io.out(providers.flatMap((p) => p.models.map((m) => m.ref)).join("\n"));
      return EXIT.ok;
    }
    const lines: string[] = [];
    for (const p of providers) {
      const auth = p.auth.usable
        ? `auth: ${p.auth.effective} (${p.auth.type})`
        : `auth: none (openclaw models auth paste-api-key --provider ${p.id}${cli.agentFlag})`;
      if (lines.length) lines.push("");
      lines.push(`${p.id} (${p.name}) · ${auth}`);
      const rows = p.models.map((m) => {
        const notes = [
          m.default ? "default" : "",
          m.aliases.length ? `alias ${m.aliases.join(", ")}` : "",
          m.deprecated ? retirementText(m.deprecated, io.clock()) : "",
          m.origin === "config" ? "from config" : "",
        ].filter(Boolean);
        return [m.ref, m.name, contextText(m.contextWindow ?? undefined), notes.join(" · ")];
      });
      lines.push(...columns(rows, "  "));
    }
    io.out(lines.join("\n"));
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}
