import {
  definePlugin,
  type CommandContext,
  type CommandDefinition,
  type GatewayServices,
  type Reply,
} from "../../src/gateway/types.js";
import type { Catalog } from "../../src/models/catalog.js";
import { defaultAgentId, modelAllowlist } from "../../src/config/agents.js";
import { isModelAllowed } from "../../src/models/ref.js";
import { aliasNames } from "./aliases.js";
import { completeOption, PAGE_OPTION, PROVIDER_OPTION, REF_OPTION } from "./complete.js";
import { memoPerCatalog } from "./allowed.js";
import { NEW, onMessage, RESET } from "./directive.js";
import { parseCommandText } from "../../src/gateway/command-text.js";
import { ellipsize, errorReply, fitReply } from "./format.js";
import { type ModelCommand, parseDirective, parseInvocation } from "./grammar.js";
import { fitted } from "./fit.js";
import { listReply, MODELS_ADD_NOTE } from "./list.js";
import { newConversation, planNew } from "./new.js";
import { answerOnce } from "./once.js";
import { onChoice, showReply } from "./picker.js";
import { PLUGIN_NAME } from "./payload.js";
import { resetModel, selectModel } from "./select.js";
import { statusReply } from "./status.js";

/**
 * Parses the invocation and runs the form it names; the reply is made to fit the channel, except a
 * `/new <text>` or `--once <text>` answer (a native command's), which the adapter splits like any
 * chat answer.
 */
async function run(ctx: CommandContext): Promise<Reply> {
  const parsed = parseInvocation(ctx.invocation.command, ctx.invocation.args);
  if (!parsed.ok) return fitReply(errorReply(parsed.error), ctx.capabilities);
  const cmd = parsed.value;
  if (cmd.kind === "new") return newConversation(ctx, cmd);
  if (cmd.kind === "select" && cmd.once !== undefined) return answerOnce(ctx, cmd, cmd.once);
  return fitted(ctx.capabilities, () => replyTo(ctx, cmd));
}

/** The reply to one form of the command, before it is fitted to the channel. */
async function replyTo(ctx: CommandContext, cmd: Exclude<ModelCommand, { kind: "new" }>): Promise<Reply> {
  switch (cmd.kind) {
    case "show":
      return showReply(ctx);
    case "status":
      return statusReply(ctx);
    case "list":
      return listReply(ctx, cmd);
    case "select":
      return selectModel(ctx, cmd);
    case "default":
      return resetModel(ctx, cmd);
    case "add":
      return { text: MODELS_ADD_NOTE };
  }
}

/**
 * `/model opus explain this` typed as a command is a directive followed by text for the model (so
 * is `/model opus --once explain this`), and `/new explain this` a fresh conversation followed by
 * it: all are messages (see `onMessage`).
 */
function isInlineDirective(ctx: CommandContext): boolean {
  const { command, args } = ctx.invocation;
  if (command === NEW || command === RESET) {
    // Only what `onMessage` will read back as `/new <text>` is left to it, read as it reads it.
    const line = parseCommandText(`/${command}${args}`);
    if (line?.command !== command) return false;
    const parsed = parseInvocation(line.command, line.args);
    return parsed.ok && parsed.value.kind === "new" && planNew(ctx, parsed.value).text !== "";
  }
  const aliases = aliasNames(ctx.services.catalog());
  const d = parseDirective(`/${ctx.invocation.command}${ctx.invocation.args}`, (name) => aliases.has(name));
  return d?.selection.ok === true && d.rest.trim() !== "";
}

const handler = async (ctx: CommandContext): Promise<Reply | undefined> =>
  ctx.invocation.via === "text" && isInlineDirective(ctx) ? undefined : run(ctx);

const complete = (command: string) => (option: string, partial: string, ctx: CommandContext) =>
  completeOption(command, option, partial, ctx);

/** The name the model command is declared under; the chat turn's replies name it too. */
export const MODEL_COMMAND = "model";

const FIXED: readonly CommandDefinition[] = [
  {
    name: MODEL_COMMAND,
    description: "Show or change this chat's model and credential profile",
    argsHint: "[list|status|default|<model>[@profile]] [-s|-a|-g] [--for <duration>|--once <message>]",
    // The whole text grammar in one option, so every form typed as text also works as a slash command.
    options: [
      {
        name: REF_OPTION,
        type: "string",
        description: "list, status, default, or a model/alias[@profile] [--for 2h | --once <message>]",
        completes: true,
      },
    ],
    inline: true,
    complete: complete(MODEL_COMMAND),
    handler,
  },
  {
    name: "models",
    description: "List providers and their models",
    argsHint: "[provider] [page] [limit=<n>|all]",
    options: [
      { name: PROVIDER_OPTION, type: "string", description: "Provider whose models to list", completes: true },
      { name: PAGE_OPTION, type: "integer", description: "Page number", min: 1 },
    ],
    complete: complete("models"),
    handler,
  },
  {
    name: NEW,
    description: "Start a new conversation, optionally with another model and a first message",
    argsHint: "[model] [message]",
    handler,
  },
  { name: RESET, description: "Start over: the same as /new", argsHint: "[model] [message]", handler },
];

const commandCache = new WeakMap<Catalog, Map<string, readonly CommandDefinition[]>>();

/**
 * `model`, `models`, `new`, `reset`, and one command per alias the default agent may use
 * (`/opus` = `/model opus`). Cached per catalog and allowlist: the host asks on every message.
 */
function commands(services: GatewayServices): readonly CommandDefinition[] {
  const catalog = services.catalog();
  const config = services.config().config;
  const allow = modelAllowlist(config, defaultAgentId(config));
  return memoPerCatalog(commandCache, catalog, allow, () => {
    const aliases: CommandDefinition[] = [];
    for (const [alias, ref] of aliasNames(catalog)) {
      if (!isModelAllowed(catalog, allow, ref)) continue;
      aliases.push({
        name: alias,
        description: ellipsize(`Switch this chat to ${ref}`, 100),
        argsHint: "[@profile] [-s|-a|-g] [--for <duration>|--once <message>]",
        inline: true,
        handler,
      });
    }
    return [...FIXED, ...aliases];
  });
}

/**
 * The `/model` plugin: choose the model and credential profile of a chat session, list and
 * inspect them, with a picker on channels that have buttons. Plain data and handlers; nothing
 * runs at import time.
 */
export const modelPlugin = definePlugin({
  name: PLUGIN_NAME,
  commands,
  onChoice: (ctx, payload) => fitted(ctx.capabilities, () => onChoice(ctx, payload)),
  onMessage,
});
