import type { AuthProfilesFile } from "../auth/profiles.js";
import { closestMatches } from "../util/closest.js";
import type { CliIo } from "./io.js";
import { openCliContext, type CliContext } from "./cli-context.js";
import { storedOrKnownProvider } from "./save-credential.js";
import { afterOrderChange } from "./order-effects.js";
import { EXIT, fail } from "./errors.js";
import { toJson } from "./format.js";

/** Flags of `models auth order get|set|clear`. */
export interface OrderOptions {
  readonly provider?: string;
  readonly agent?: string;
  readonly json?: boolean;
}

/**
 * The provider of `order set` without `--provider`: the one the ids name (a stored profile's
 * provider, else the id's `<provider>:` prefix). Ids of different providers are refused: an order
 * lists one provider's profiles.
 */
function providerOfIds(cli: CliContext, ids: readonly string[]): string {
  const stored = cli.profiles().profiles;
  const byProvider = new Map<string, string[]>();
  for (const id of ids) {
    const colon = id.indexOf(":");
    const provider = stored[id]?.provider ?? (colon > 0 ? id.slice(0, colon) : undefined);
    if (provider === undefined)
      fail(
        "order_provider_unknown",
        `"${id}" names no provider and is not a stored profile; nothing was changed.`,
        "Pass --provider <id>, or use the stored ids that `openclaw models auth list` shows.",
      );
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), id]);
  }
  if (byProvider.size > 1)
    fail(
      "order_mixed_providers",
      `These profiles belong to different providers (${[...byProvider].map(([p, list]) => `${p}: ${list.join(", ")}`).join("; ")}); an order lists one provider's profiles. Nothing was changed.`,
      "Set one order per provider.",
    );
  return storedOrKnownProvider(cli, [...byProvider.keys()][0]);
}

function describe(cli: CliContext, provider: string) {
  const file = cli.profiles();
  const agentOrder = file.order?.[provider] ?? null;
  const configOrder = cli.ctx.loaded.config.auth?.order?.[provider] ?? null;
  const res = cli.resolver.resolve({ agentId: cli.agentId, provider });
  return {
    agentId: cli.agentId,
    provider,
    order: agentOrder,
    configOrder,
    applies: res.orderSource,
    next: res.chosen?.id ?? null,
    resolved: res.candidates.map((c) => ({ id: c.id, usable: c.usable, reasonCode: c.reason ?? null })),
  };
}

function printState(io: CliIo, d: ReturnType<typeof describe>, configPath: string): void {
  if (d.order) io.out(`Agent order for ${d.provider} (agent ${d.agentId}): ${d.order.join(", ")}`);
  else {
    io.out(`No agent order set for ${d.provider} (agent ${d.agentId}).`);
    if (d.configOrder)
      io.out(`Applies instead: auth.order.${d.provider} from ${configPath}: ${d.configOrder.join(", ")}`);
    else
      io.out("Applies instead: the default order (oauth > token > api_key, least recently used first, then env keys).");
  }
  const usable = d.resolved.filter((c) => c.usable).map((c) => c.id);
  io.out(`Resolved now: ${usable.length ? usable.join(" → ") : "no usable credential"}`);
  const skipped = d.resolved.filter((c) => !c.usable);
  for (const s of skipped) io.out(`  skipped ${s.id}: ${s.reasonCode ?? "unusable"}`);
}

/** `models auth order get`: the agent's stored order, or what applies when none is set. */
export async function runOrderGet(io: CliIo, opts: OrderOptions): Promise<number> {
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    const d = describe(cli, storedOrKnownProvider(cli, opts.provider));
    if (opts.json) io.out(toJson(d));
    else printState(io, d, cli.ctx.loaded.path);
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}

/** Every requested id must be a stored profile of `provider`; the first that is not is named. */
function checkIds(file: AuthProfilesFile, provider: string, agentId: string, ids: readonly string[]): void {
  for (const id of ids) {
    const p = file.profiles[id];
    if (!p) {
      const own = Object.entries(file.profiles)
        .filter(([, raw]) => raw.provider === provider)
        .map(([pid]) => pid);
      const near = closestMatches(id, own);
      const hint = near.length
        ? `Did you mean ${near.join(", ")}?`
        : own.length
          ? `Stored ${provider} profiles: ${own.join(", ")}.`
          : `Agent ${agentId} has no ${provider} profiles; add one with \`openclaw models auth paste-api-key --provider ${provider}\`.`;
      fail("unknown_profile", `Unknown profile "${id}" for agent ${agentId}; nothing was changed.`, hint);
    }
    if (p.provider !== provider) {
      fail(
        "profile_provider_mismatch",
        `Profile ${id} belongs to ${p.provider}, not ${provider}; nothing was changed.`,
      );
    }
  }
}

/**
 * `models auth order set [--provider <p>] <ids...>`: validates every id, then stores the order.
 * Without `--provider` the ids name it.
 */
export async function runOrderSet(io: CliIo, opts: OrderOptions, ids: string[]): Promise<number> {
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    const order = [...new Set(ids.map((i) => i.trim()).filter((i) => i !== ""))];
    if (order.length === 0)
      fail(
        "order_empty",
        "Give at least one profile id.",
        `To remove the order use \`openclaw models auth order clear --provider ${opts.provider ?? "<provider>"}\`.`,
      );
    const provider =
      opts.provider !== undefined ? storedOrKnownProvider(cli, opts.provider) : providerOfIds(cli, order);
    checkIds(cli.profiles(), provider, cli.agentId, order);
    await cli.store.update(cli.agentId, (file) => {
      checkIds(file, provider, cli.agentId, order); // again under the lock, against the freshest file
      file.order = { ...(file.order ?? {}), [provider]: order };
    });
    cli.forget();
    const dropped = await afterOrderChange(cli);
    const d = describe(cli, provider);
    if (opts.json) io.out(toJson({ ...d, droppedAutoPins: dropped }));
    else {
      printState(io, d, cli.ctx.loaded.path);
      if (dropped !== undefined && dropped > 0)
        io.out(`Dropped ${dropped} automatic session pin${dropped > 1 ? "s" : ""}.`);
    }
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}

/** `models auth order clear`: removes the agent's order; config or default order applies again. */
export async function runOrderClear(io: CliIo, opts: OrderOptions): Promise<number> {
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    const provider = storedOrKnownProvider(cli, opts.provider);
    const had = cli.profiles().order?.[provider] !== undefined;
    let dropped: number | undefined;
    if (had) {
      await cli.store.update(cli.agentId, (file) => {
        if (!file.order) return;
        delete file.order[provider];
        if (Object.keys(file.order).length === 0) delete file.order;
      });
      cli.forget();
      dropped = await afterOrderChange(cli);
    }
    const d = describe(cli, provider);
    if (opts.json) io.out(toJson({ ...d, cleared: had, droppedAutoPins: dropped }));
    else {
      if (had) io.out(`Cleared the agent order for ${provider} (agent ${cli.agentId}).`);
      printState(io, d, cli.ctx.loaded.path);
    }
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}
