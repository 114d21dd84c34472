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

/** `gateway.bind`: `loopback` (default), `lan` (every interface) or an address. */
export function bindAddress(bind: string | undefined): string {
  if (bind === undefined || bind === "loopback") return "127.0.0.1";
  if (bind === "lan") return "0.0.0.0";
  return bind;
}
