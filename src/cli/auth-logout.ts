import { closestMatches } from "../util/closest.js";
import type { CliIo } from "./io.js";
import { openCliContext } from "./cli-context.js";
import { assertConfigWritable, existingObjectAt, updateConfigFile } from "../config/write.js";
import { afterOrderChange } from "./order-effects.js";
import { EXIT, fail } from "./errors.js";
import { confirm } from "./confirm.js";

/** Flags of `models auth logout`. */
export interface LogoutOptions {
  readonly profileId?: string;
  readonly yes?: boolean;
  readonly agent?: string;
}

/** What removing an id did to one order list: the ids left in it, or none when the list went too. */
export interface OrderEdit {
  readonly provider: string;
  readonly rest: readonly unknown[];
}

/** Removes `id` from every list in `order`, dropping lists it leaves empty; returns what changed. */
export function removeFromOrders(order: Record<string, unknown> | undefined, id: string): OrderEdit[] {
  const edits: OrderEdit[] = [];
  if (!order) return edits;
  for (const [provider, list] of Object.entries(order)) {
    if (!Array.isArray(list) || !list.includes(id)) continue;
    const rest = list.filter((x) => x !== id);
    if (rest.length === 0) delete order[provider];
    else order[provider] = rest;
    edits.push({ provider, rest });
  }
  return edits;
}

/**
 * One order edit as said to the user: `anthropic:work from order.anthropic (left: anthropic:manual)`,
 * or, for a list it emptied, `order.openai (anthropic:work was its only entry)`.
 */
function describeEdit(prefix: string, id: string, edit: OrderEdit): string {
  const key = `${prefix}${edit.provider}`;
  return edit.rest.length === 0
    ? `${key} (${id} was its only entry)`
    : `${id} from ${key} (left: ${edit.rest.join(", ")})`;
}

/**
 * `openclaw models auth logout <profileId>`: removes the profile from the agent's credential file,
 * its id from that file's order lists and from config `auth.profiles` and every `auth.order` list;
 * a list it would leave empty is removed (an empty list would mean "use nothing").
 */
export async function runLogout(io: CliIo, opts: LogoutOptions, args: string[]): Promise<number> {
  const positional = args[0];
  if (positional !== undefined && opts.profileId !== undefined && positional !== opts.profileId) {
    fail(
      "logout_ambiguous",
      `Two different profiles given (${positional} and --profile-id ${opts.profileId}); give one.`,
    );
  }
  const id = (positional ?? opts.profileId)?.trim();
  if (!id)
    fail(
      "logout_no_profile",
      "Which profile? Give its id: openclaw models auth logout <profileId>.",
      "List them with `openclaw models auth list`.",
    );

  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    const stored = Object.keys(cli.profiles().profiles);
    if (!stored.includes(id)) {
      const near = closestMatches(id, stored);
      fail(
        "unknown_profile",
        `No stored profile "${id}" for agent ${cli.agentId}; nothing was removed.`,
        near.length
          ? `Did you mean ${near.join(", ")}?`
          : stored.length
            ? `Stored profiles: ${stored.join(", ")}.`
            : "This agent has no stored profiles.",
      );
    }
    if (!opts.yes) {
      if (!io.stdin.isTTY)
        fail(
          "confirmation_required",
          `Refusing to remove ${id} without confirmation.`,
          "Pass --yes to remove it from a script.",
        );
      if (!(await confirm(io, `Remove auth profile ${id} and every reference to it?`))) {
        io.err("Nothing was removed.");
        return EXIT.problem;
      }
    }

    assertConfigWritable(cli.ctx.loaded.path, cli.ctx.stateDir);
    const agentRefs = await cli.store.update(cli.agentId, (file) => {
      delete file.profiles[id];
      const refs = removeFromOrders(file.order, id);
      if (file.order && Object.keys(file.order).length === 0) delete file.order;
      return refs;
    });
    cli.forget();

    const configRefs: string[] = [];
    await updateConfigFile(cli.ctx.loaded.path, cli.ctx.stateDir, (raw) => {
      const auth = existingObjectAt(raw, "auth");
      if (!auth) return false;
      const profiles = existingObjectAt(raw, "auth", "profiles");
      if (profiles && id in profiles) {
        delete profiles[id];
        configRefs.push(`auth.profiles.${id}`);
        if (Object.keys(profiles).length === 0) delete auth.profiles;
      }
      const order = existingObjectAt(raw, "auth", "order");
      configRefs.push(...removeFromOrders(order, id).map((e) => describeEdit("auth.order.", id, e)));
      if (order && Object.keys(order).length === 0) delete auth.order;
      return configRefs.length > 0;
    });

    io.out(`Removed auth profile ${id} (agent ${cli.agentId}).`);
    const agentText = agentRefs.map((e) => describeEdit("order.", id, e));
    if (agentText.length) io.out(`Also removed from ${cli.store.pathFor(cli.agentId)}: ${agentText.join("; ")}`);
    if (configRefs.length) io.out(`Also removed from ${cli.ctx.loaded.path}: ${configRefs.join("; ")}`);
    if (agentText.length || configRefs.some((r) => r.includes("auth.order."))) await afterOrderChange(cli);
    io.err("The credential is not revoked at the provider; revoke it in the provider's console if it leaked.");
    return EXIT.ok;
  } finally {
    await cli.close();
  }
}
