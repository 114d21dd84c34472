import type { CurrentSelection } from "../../src/gateway/selection.js";

/** A short phrase for where a model comes from. */
export function describeSource(sel: CurrentSelection, agentId: string): string {
  switch (sel.source) {
    case "session":
      return sel.record?.setBy ? `chosen for this chat by ${sel.record.setBy}` : "chosen for this chat";
    case "parent":
      return "inherited from the parent chat";
    case "channel":
      return `set for this chat by ${sel.configured.key ?? "channels.modelByChannel"}`;
    case "agent":
      return `agent ${agentId}'s default`;
    case "defaults":
      return "the default (agents.defaults.model)";
    case "builtin":
      return "the built-in default";
  }
}
