import { definePlugin, type Answer, type CommandContext } from "../../src/gateway/types.js";
import { userError } from "../../src/util/user-error.js";
import { allCost, chatCost } from "./cost.js";
import { changeFooter, FOOTERS, isFooter, showFooter } from "./footer.js";

const OWNERS_ONLY = userError(
  "owner_only",
  "/usage cost all shows the spend of every chat, agent and credential, so only an owner may see it.",
  "Send /usage cost for this chat's spend.",
);

/** Reads `/usage [off|tokens|full|cost [all]]` and answers the form it names. */
async function usageReply(ctx: CommandContext): Promise<Answer> {
  const words = ctx.invocation.args.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const [first, second, ...rest] = words;
  if (first === undefined) return showFooter(ctx);
  if (isFooter(first) && second === undefined) return changeFooter(ctx, first);
  if (first === "cost" && second === undefined) return chatCost(ctx);
  if (first === "cost" && second === "all" && rest.length === 0) return ctx.isOwner ? allCost(ctx) : OWNERS_ONLY;
  return userError(
    "usage_unknown",
    `"/usage ${words.join(" ")}" is not something /usage does.`,
    "Use /usage off, /usage tokens, /usage full, /usage cost or /usage cost all.",
  );
}

/**
 * `/usage`: the per-chat usage footer (`off`, `tokens`, `full`, kept in the session store beside the
 * usage ledger) and the spend the ledger recorded (`cost`, `cost all` for owners), as OpenClaw's
 * `/usage` command. No settings of its own.
 */
export const usagePlugin = definePlugin({
  name: "usage",
  commands: () => [
    {
      name: "usage",
      description: "Usage footer under answers (off, tokens, full) and the spend so far (cost)",
      argsHint: "[off|tokens|full|cost [all]]",
      options: [
        {
          name: "setting",
          type: "choice",
          description: "off, tokens or full sets this chat's footer; cost shows the spend",
          choices: [
            ...Object.entries(FOOTERS).map(([value, what]) => ({ label: `${value}: ${what}`, value })),
            { label: "cost: the spend today and in the last 30 days", value: "cost" },
          ],
        },
        {
          name: "scope",
          type: "choice",
          description: "With cost: every chat, agent and profile (owners only)",
          choices: [{ label: "all chats (owners only)", value: "all" }],
        },
      ],
      handler: usageReply,
    },
  ],
});
