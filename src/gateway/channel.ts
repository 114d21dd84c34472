import type { PluginHost } from "./host.js";
import type { GatewayHttpServer } from "./http-server.js";
import type { Log } from "./log.js";
import type { Reply } from "./types.js";

/** What a channel adapter is started with. */
export interface ChannelEnv {
  readonly host: PluginHost;
  /** The gateway's HTTP server, for webhook / interactions routes (it may already be listening). */
  readonly http: GatewayHttpServer;
  readonly log: Log;
  /** Merged environment (process > state .env > config env), for tokens. */
  readonly env: Readonly<Record<string, string>>;
}

/** A started channel. `stop` finishes in-flight work and confirms what it consumed (no double runs). */
export interface RunningChannel {
  readonly name: string;
  stop(): Promise<void>;
  /** Sends a reply to a user as a direct message (proactive messages of plugins); text only. */
  send?(userId: string, reply: Reply): Promise<void>;
}
