import type { CommandContext, Reply } from "../../src/gateway/types.js";
import type { UsageFooter } from "../../src/sessions/ledger.js";

/** The footer settings in the order they are offered, with what each shows under an answer. */
export const FOOTERS: Readonly<Record<UsageFooter, string>> = {
  off: "no footer",
  tokens: "input and output tokens under each answer",
  full: "tokens and the estimated cost under each answer",
};

/** Whether a word names a footer setting. */
export function isFooter(word: string): word is UsageFooter {
  return Object.hasOwn(FOOTERS, word);
}

function settingLine(footer: UsageFooter): string {
  return `Usage footer in this chat: ${footer} (${FOOTERS[footer]}).`;
}

/**
 * `/usage`: this chat's footer setting and the options, with one button per setting (a press runs
 * `/usage <setting>` as the presser, so access is checked as for the typed command).
 */
export async function showFooter(ctx: CommandContext): Promise<Reply> {
  const current = await ctx.services.sessions.ledger.footer(ctx.sessionKey);
  const lines = [
    settingLine(current),
    "",
    ...Object.entries(FOOTERS).map(([name, what]) => `/usage ${name} — ${what}`),
    "/usage cost — this chat's spend today and in the last 30 days",
  ];
  if (ctx.isOwner) lines.push("/usage cost all — every chat, agent and profile");
  return {
    text: lines.join("\n"),
    choices: Object.keys(FOOTERS).map((name) => ({
      label: name,
      payload: `/usage ${name}`,
      selected: name === current,
    })),
    columns: 3,
  };
}

/** `/usage off|tokens|full`: remembered for this chat in the session store, so it survives restarts. */
export async function changeFooter(ctx: CommandContext, footer: UsageFooter): Promise<Reply> {
  await ctx.services.sessions.ledger.setFooter(ctx.sessionKey, footer);
  return { text: settingLine(footer) };
}
