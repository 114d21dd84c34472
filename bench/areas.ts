import type { Bench } from "./result.js";

/** The bench areas `npm run bench` runs, in order, each loaded only when it runs. */
export const areas: Record<string, () => Promise<{ default: Bench }>> = {
  "npm start": () => import("./npm-start.js"),
  "cli cold start": () => import("./cli-cold-start.js"),
  resolver: () => import("./resolver.js"),
  "model plugin": () => import("./model-plugin.js"),
  sessions: () => import("./sessions.js"),
  telegram: () => import("./telegram.js"),
  "telegram webhook": () => import("./telegram-webhook.js"),
  discord: () => import("./discord.js"),
  providers: () => import("./providers.js"),
  streaming: () => import("./streaming.js"),
  ledger: () => import("./ledger.js"),
  "control page": () => import("./control-page.js"),
};
