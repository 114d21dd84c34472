import type { HttpHandler } from "./http-server.js";
import { bearerMatches } from "./secret-match.js";

/** Where a channel is: still starting, connected, or failing and being retried. */
export type ChannelState = "connecting" | "connected" | "down";

/** One configured channel as `/readyz` and `gateway status` show it. */
export interface ChannelStatus {
  readonly name: string;
  /** `long polling`, `webhook`, `gateway WS`, `HTTP interactions`, `stdin/stdout`. */
  readonly mode: string;
  readonly state: ChannelState;
  /** Why it is down (a redacted error message). */
  readonly detail?: string;
}

/** What the running gateway is, for `/readyz` and `openclaw gateway status`. Holds no secret. */
export interface GatewayIdentity {
  readonly version: string;
  readonly stateDir: string;
  readonly configPath: string;
  /** `sqlite <file>` or `redis <host:port>` (never the URL's password). */
  readonly store: { readonly kind: "sqlite" | "redis"; readonly where: string };
}

/** The `/readyz` body. */
export interface ReadinessReport extends GatewayIdentity {
  readonly ready: boolean;
  /** What is not ready, in words: `channel telegram: down (…)`, `session store: not answering`. */
  readonly notReady: readonly string[];
  readonly storeUp: boolean;
  readonly channels: readonly ChannelStatus[];
  readonly pid: number;
  readonly uptimeSeconds: number;
}

/**
 * What `/readyz` tells a caller without the metrics token: whether the gateway is ready and which
 * channels are not (no paths, pid or error text, which help an attacker more than a prober).
 */
export interface PublicReadiness {
  readonly ready: boolean;
  readonly channelsNotReady: readonly string[];
}

/** How long the store may take to answer a readiness probe before it counts as down. */
const STORE_PROBE_MS = 2000;

/**
 * Tracks what `/readyz` reports (DESIGN section 8): ready only when the session store answers and
 * every configured channel is connected. Channels report their state as they connect and fail.
 */
export class Readiness {
  private readonly channels = new Map<string, ChannelStatus>();

  constructor(
    private readonly identity: GatewayIdentity,
    private readonly probeStore: () => Promise<unknown>,
  ) {}

  /** Records a channel's state (a new channel starts as `connecting`). */
  set(status: ChannelStatus): void {
    this.channels.set(status.name, status);
  }

  /** Whether the session store answers within {@link STORE_PROBE_MS}. */
  async storeUp(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), STORE_PROBE_MS);
    });
    try {
      return await Promise.race([
        this.probeStore().then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The current report. */
  async report(): Promise<ReadinessReport> {
    const storeUp = await this.storeUp();
    const channels = [...this.channels.values()];
    const notReady = [
      ...(storeUp ? [] : ["session store: not answering"]),
      ...channels
        .filter((c) => c.state !== "connected")
        .map((c) => `channel ${c.name}: ${c.state}${c.detail ? ` (${c.detail})` : ""}`),
    ];
    return {
      ...this.identity,
      ready: notReady.length === 0,
      notReady,
      storeUp,
      channels,
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
    };
  }

  /**
   * `GET /readyz`: 200 when ready, else 503. The body is the whole {@link ReadinessReport} for a
   * request bearing `Authorization: Bearer <metrics token>`, else only the {@link PublicReadiness}
   * (also when no token is configured: a proxy in front makes every caller look local).
   */
  handler(token: string | undefined): HttpHandler {
    return async (req) => {
      const report = await this.report();
      const status = report.ready ? 200 : 503;
      if (token !== undefined && bearerMatches(req.headers.authorization, token)) return { status, body: report };
      const channelsNotReady = report.channels.filter((c) => c.state !== "connected").map((c) => c.name);
      const body: PublicReadiness = { ready: report.ready, channelsNotReady };
      return { status, body };
    };
  }
}
