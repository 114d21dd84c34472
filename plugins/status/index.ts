import { definePlugin } from "../../src/gateway/types.js";
import { statusReply } from "./status.js";
import { whoamiReply } from "./whoami.js";

/**
 * `/status` and `/whoami` (`/id`), answered by the gateway itself, never by a model, alone or as
 * inline shortcuts inside a message (`thanks /status`), as OpenClaw's are. No settings of its own.
 */
export const statusPlugin = definePlugin({
  name: "status",
  commands: () => [
    {
      name: "status",
      description: "This chat's model, the credential it uses next, fallbacks and uptime",
      options: [],
      inline: "shortcut",
      handler: statusReply,
    },
    {
      name: "whoami",
      description: "Your id as commands.allowFrom and commands.ownerAllowFrom take it",
      aliases: ["id"],
      options: [],
      inline: "shortcut",
      handler: whoamiReply,
    },
  ],
});
