import os from "node:os";
import type { OpenClawConfig } from "../config/schema.js";
import { UserFacingError, userError } from "../util/user-error.js";

/** The port the gateway's HTTP server listens on when channels run and none is configured. */
export const DEFAULT_GATEWAY_PORT = 18789;

/**
 * The HTTP port: `OPENCLAW_GATEWAY_PORT`, else `gateway.port`, else {@link DEFAULT_GATEWAY_PORT}
 * when a channel needs the server; undefined (no server) for the console alone without a port.
 */
export function gatewayPort(
  config: OpenClawConfig,
  processEnv: NodeJS.ProcessEnv,
  channelsNeedIt: boolean,
): number | undefined {
  const fromEnv = processEnv.OPENCLAW_GATEWAY_PORT;
  if (fromEnv !== undefined && fromEnv !== "") {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      throw new UserFacingError(
        userError("bad_port", `OPENCLAW_GATEWAY_PORT must be a port number (0-65535), got "${fromEnv}".`),
      );
    }
    return n;
  }
  return config.gateway?.port ?? (channelsNeedIt ? DEFAULT_GATEWAY_PORT : undefined);
}

/** Network interfaces as `os.networkInterfaces()` lists them (injectable for tests). */
export type Interfaces = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

/** Tailscale hands out addresses from 100.64.0.0/10 (CGNAT space). */
function isTailnetAddress(address: string): boolean {
  const [a, b] = address.split(".").map(Number);
  return a === 100 && b !== undefined && b >= 64 && b <= 127;
}

/**
 * The address `gateway.bind` names, in OpenClaw's modes: `loopback` (default) and `auto`
 * (loopback while it is available, as OpenClaw does outside containers) → 127.0.0.1; `lan` →
 * 0.0.0.0; `custom` → `gateway.customBindHost`; `tailnet` → this host's Tailscale IPv4 address,
 * else loopback. Any other value is an address (the form earlier versions accepted, now in our
 * own file). Throws a {@link UserFacingError} for `custom` without a host.
 */
export function bindAddress(
  gateway: OpenClawConfig["gateway"],
  interfaces: () => Interfaces = os.networkInterfaces,
): string {
  const bind = gateway?.bind;
  switch (bind) {
    case undefined:
    case "loopback":
    case "auto":
      return "127.0.0.1";
    case "lan":
      return "0.0.0.0";
    case "custom": {
      const host = gateway?.customBindHost;
      if (host === undefined)
        throw new UserFacingError(
          userError(
            "bind_host_missing",
            'gateway.bind is "custom" but gateway.customBindHost is not set.',
            'Set gateway.customBindHost to the IPv4 address to listen on, or use bind "loopback" or "lan".',
          ),
        );
      return host;
    }
    case "tailnet": {
      const all = Object.values(interfaces()).flatMap((list) => list ?? []);
      return all.find((i) => i.family === "IPv4" && isTailnetAddress(i.address))?.address ?? "127.0.0.1";
    }
    default:
      return bind;
  }
}

/**
 * The base URL a client on this host reaches the gateway at: a wildcard bind (`0.0.0.0`) is no
 * destination, so loopback stands in for it; an IPv6 address gets its brackets.
 */
export function localBaseUrl(address: string, port: number): string {
  const host = address === "0.0.0.0" ? "127.0.0.1" : address.includes(":") ? `[${address}]` : address;
  return `http://${host}:${port}`;
}
