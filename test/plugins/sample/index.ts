import * as z from "zod/mini";
import { configSection } from "../../../src/config/plugin-section.js";
import { definePlugin, type Answer, type Choice, type CommandContext } from "../../../src/gateway/types.js";
import { userError } from "../../../src/util/user-error.js";

/**
 * A third plugin that no adapter and no host file was changed for, using every part of the
 * contract `/model` and the auth monitor leave out or share: a picker (buttons on Telegram, a
 * select on Discord) whose presses must come back to it, its own config section in our file, an
 * owner-only command, a completing option and a user's mistake answered as a `UserError`.
 */

/** `sample` in model-gateway.json. */
export const sampleSettings = configSection(
  "sample",
  ["sample"],
  z.object({
    greeting: z.optional(z.string().check(z.minLength(1))),
    scoops: z.optional(z.int().check(z.gte(1))),
  }),
);

export const FLAVOURS = ["vanilla", "chocolate", "pistachio"] as const;

function serve(ctx: CommandContext, flavour: string): Answer {
  if (!(FLAVOURS as readonly string[]).includes(flavour))
    return userError("unknown_flavour", `No flavour "${flavour}" here.`, `Choose one of ${FLAVOURS.join(", ")}.`);
  const settings = sampleSettings.read(ctx.services.config().config);
  const scoops = settings?.scoops ?? 1;
  return { text: `${settings?.greeting ?? "Here you are"}: ${scoops} scoop(s) of ${flavour}.`, replace: true };
}

const PICKER: readonly Choice[] = FLAVOURS.map((f) => ({ label: f, payload: `f:${f}` }));

export const samplePlugin = definePlugin({
  name: "sample",
  config: sampleSettings,
  commands: () => [
    {
      name: "flavour",
      description: "Pick an ice cream flavour",
      options: [{ name: "flavour", type: "string", description: "The flavour", completes: true }],
      complete: (_option, partial) =>
        FLAVOURS.filter((f) => f.startsWith(partial.toLowerCase())).map((f) => ({ label: f, value: f })),
      handler: (ctx) => {
        const typed = ctx.invocation.args.trim().toLowerCase();
        if (typed !== "") return serve(ctx, typed);
        return { text: "Which flavour?", choices: PICKER, actions: [{ label: "Cancel", payload: "x" }] };
      },
    },
    { name: "sample-reset", description: "Empty the freezer", ownerOnly: true, handler: () => ({ text: "emptied" }) },
  ],
  onChoice: (ctx, payload) => {
    if (payload === "x") return { text: "No ice cream, then.", replace: true };
    return payload.startsWith("f:") ? serve(ctx, payload.slice(2)) : userError("stale", "That button is not mine.");
  },
});
