import crypto from "node:crypto";
import * as z from "zod/mini";
import { configSection } from "../../src/config/plugin-section.js";
import {
  definePlugin,
  type CommandContext,
  type CommandDefinition,
  type PluginDefinition,
  type PluginRuntime,
  type Reply,
} from "../../src/gateway/types.js";
import { errorMessage } from "../../src/gateway/log.js";
import { announcedState, claimAnnouncement } from "./announce.js";
import { credentialHealth, type CredentialHealth } from "./health.js";

/** What `/auth` takes besides nothing (the summary); offered while the option is typed. */
const ACTIONS = [{ label: "check — check every credential now", value: "check" }] as const;
/** How often credentials are checked when `auth.monitor.intervalMinutes` is not set. */
export const DEFAULT_INTERVAL_MINUTES = 30;

/** `auth.monitor` in our own file: minutes between checks (default 30; 0 turns it off). */
export const monitorSettings = configSection(
  "auth-monitor",
  ["auth", "monitor"],
  z.object({ intervalMinutes: z.optional(z.number().check(z.gte(0))) }),
);

const HEADLINE: Record<Exclude<CredentialHealth["state"], "ok">, string> = {
  expiring: "expires soon",
  expired: "has expired",
  auth: "was rejected",
  billing: "is disabled for billing",
  incompatible: "is incompatible",
};

/** The direct message about one credential's new state. */
export function alertText(h: CredentialHealth): string {
  const headline = h.state === "ok" ? "is ok" : HEADLINE[h.state];
  return `Credential ${h.id} (${h.masked}) ${headline}: ${h.detail}.${h.fix ? `\nFix: ${h.fix}` : ""}`;
}

function summaryText(health: readonly CredentialHealth[]): string {
  if (health.length === 0)
    return "No credential found for the default model. Add one with `openclaw models auth paste-api-key`.";
  const lines = health.map(
    (h) => `${h.state === "ok" ? "✓" : "✗"} ${h.id} (${h.masked}): ${h.detail}${h.fix ? `\n    fix: ${h.fix}` : ""}`,
  );
  return `Credentials of the default model:\n${lines.join("\n")}`;
}

/** `commands.ownerAllowFrom` entries as channel + user id (`telegram:123`). */
function owners(ctx: { services: PluginRuntime["services"] }): { owner: string; channel: string; userId: string }[] {
  const out: { owner: string; channel: string; userId: string }[] = [];
  for (const owner of ctx.services.config().config.commands?.ownerAllowFrom ?? []) {
    const at = owner.indexOf(":");
    if (at <= 0 || at === owner.length - 1) continue;
    out.push({ owner, channel: owner.slice(0, at), userId: owner.slice(at + 1) });
  }
  return out;
}

/**
 * The auth monitor (issue 14): every `auth.monitor.intervalMinutes` (default 30, 0 = off) it checks
 * the credentials the default model needs and tells each owner once per change of state (expiring
 * within 24 h, expired, auth failure, billing, incompatible), naming the masked profile and the
 * command that fixes it. The announced state lives in the session store, so of several instances
 * sharing it exactly one sends each message. Owner-only `/auth` shows the summary; `/auth check`
 * checks now.
 */
export function authMonitorPlugin(): PluginDefinition {
  const instance = crypto.randomUUID();
  let runtime: PluginRuntime | undefined;

  /** One check: announces changes; returns how many messages this instance sent. */
  const check = async (rt: PluginRuntime): Promise<{ health: CredentialHealth[]; sent: number }> => {
    const { services } = rt;
    const health = credentialHealth(services);
    let sent = 0;
    for (const target of owners(rt)) {
      for (const h of health) {
        const key = { owner: target.owner, credentialId: h.id, instance };
        const from = await announcedState(services.sessions, target.owner, h.id);
        if (from === h.state) continue;
        if (!(await claimAnnouncement(services.sessions, key, from, h.state, services.clock()))) continue;
        if (h.state === "ok") continue;
        if (await rt.notify(target, { text: alertText(h) })) sent++;
        // Not delivered (channel not connected yet): give the claim back so a later check retries.
        else await claimAnnouncement(services.sessions, key, h.state, from, services.clock());
      }
    }
    return { health, sent };
  };

  const scheduled = async (rt: PluginRuntime): Promise<void> => {
    const { health, sent } = await check(rt);
    const bad = health.filter((h) => h.state !== "ok").length;
    rt.log(
      "info",
      `auth-monitor: checked ${health.length} credential(s), ${bad} need attention, ${sent} message(s) sent`,
    );
  };

  const handler = async (ctx: CommandContext): Promise<Reply> => {
    const arg = ctx.invocation.args.trim().toLowerCase();
    if (arg !== "" && arg !== "check")
      return {
        text: "Usage: /auth (health summary) or /auth check (check now and tell owners about changes).",
        private: true,
      };
    if (arg === "check" && runtime) {
      try {
        const { health, sent } = await check(runtime);
        return { text: `${summaryText(health)}\n${sent} message(s) sent to owners.`, private: true };
      } catch (err) {
        runtime.log("error", `auth-monitor: check failed: ${errorMessage(err)}`);
        return { text: "The check could not complete; see the gateway log.", private: true };
      }
    }
    return { text: summaryText(credentialHealth(ctx.services)), private: true };
  };

  const commands: readonly CommandDefinition[] = [
    {
      name: "auth",
      description: "Credential health (owners only); /auth check checks now",
      argsHint: "[check]",
      ownerOnly: true,
      options: [
        {
          name: "action",
          type: "string",
          description: "check: check every credential now and tell owners about changes",
          completes: true,
        },
      ],
      complete: (_option, partial) => ACTIONS.filter((a) => a.value.startsWith(partial.trim().toLowerCase())),
      handler,
    },
  ];

  return definePlugin({
    name: "auth-monitor",
    config: monitorSettings,
    // One array for the plugin's life: the host rebuilds its command table only when it changes.
    commands: () => commands,
    start(rt) {
      runtime = rt;
      const minutes = monitorSettings.read(rt.services.config().config)?.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES;
      if (minutes > 0) rt.every(minutes * 60_000, () => scheduled(rt));
    },
    stop() {
      runtime = undefined;
    },
  });
}
