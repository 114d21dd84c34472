import { definePlugin, type Choice, type CommandDefinition, type PluginDefinition } from "../gateway/types.js";

/** What a stopped answer ends with. */
export const STOPPED_NOTE = " (stopped)";

/** What an answer cut short by the gateway's shutdown says (after what was written, if anything). */
export const SHUTDOWN_NOTE = "(The gateway stopped before the answer was complete; send it again.)";

/** The button under an answer being written: pressing it runs `/stop` as the presser. */
export const STOP_ACTIONS: readonly Choice[] = [{ label: "Stop", payload: "/stop" }];

const STOP_COMMANDS: readonly CommandDefinition[] = [
  {
    name: "stop",
    description: "Stop the answer being written",
    interrupts: true,
    handler: (ctx) => {
      const stopped = ctx.services.chat?.stop(ctx.sessionKey) ?? false;
      return { text: stopped ? "Stopped." : "Nothing to stop.", private: true };
    },
  },
];

/**
 * `/stop`: aborts the answer being written in this chat session; what was written stays, marked
 * "(stopped)". It belongs to the chat layer (it acts on the chat responder's calls in flight) and
 * is declared like any plugin command; `interrupts` lets channels run it at once instead of
 * queueing it behind the very answer it should stop. The declaration is one array, so the host
 * builds its command table once rather than per message.
 */
export const stopPlugin: PluginDefinition = definePlugin({
  name: "chat",
  commands: () => STOP_COMMANDS,
});
