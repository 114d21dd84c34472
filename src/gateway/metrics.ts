import { createRequire } from "node:module";
import type * as Prom from "prom-client";
import { TOKEN_KINDS, type TokenTally } from "../models/price.js";
import type { CommandOutcome, GatewayObserver, UsageLabels } from "./types.js";
import type { HttpHandler, HttpResponse } from "./http-server.js";
import { bearerMatches } from "./secret-match.js";

/** Per provider, how many credentials are cooling down and how many expire within 24 h. */
export interface CredentialCounts {
  readonly provider: string;
  readonly cooldowns: number;
  readonly expiring: number;
}

/** What the gauges are read from at scrape time. */
export interface MetricsSources {
  /** Whether the session store answers now. */
  storeUp(): Promise<boolean>;
  /** Credential counts for every provider that has credentials. */
  credentials(): readonly CredentialCounts[];
}

const load = createRequire(import.meta.url);
// prom-client's index loads all of it: the push gateway client (with https and tls) and, for Node's
// process metrics, @opentelemetry/api; about 50 ms of a gateway's 200 ms start on a 2-core machine.
// The gateway loads its four classes (6 ms), and the process metrics when the gateway is up.
const Registry = load("prom-client/lib/registry") as typeof Prom.Registry;
const Counter = load("prom-client/lib/counter") as typeof Prom.Counter;
const Gauge = load("prom-client/lib/gauge") as typeof Prom.Gauge;
const Histogram = load("prom-client/lib/histogram") as typeof Prom.Histogram;
/** How long after start the gateway begins to collect Node's process metrics, unless scraped first. */
const DEFAULT_METRICS_AFTER_MS = 1000;

/**
 * The gateway's Prometheus metrics (DESIGN section 8), on a registry of its own so two gateways in
 * one process (tests) do not share counters. The names are fixed: dashboards depend on them.
 * Gauges are computed when scraped, so they are never stale and cost nothing between scrapes.
 */
export class GatewayMetrics implements GatewayObserver {
  readonly registry = new Registry();
  private readonly commands: Prom.Counter<"channel" | "command" | "outcome">;
  private readonly modelRequests: Prom.Counter<"provider" | "outcome">;
  private readonly modelDuration: Prom.Histogram<"provider">;
  private readonly tokens: Prom.Counter<"provider" | "model" | "profile" | "kind">;
  private readonly costUsd: Prom.Counter<"provider" | "model" | "profile">;
  private processMetrics = false;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.commands = new Counter({
      name: "openclaw_commands_total",
      help: "Commands handled, by channel, command and outcome (ok, refused, error).",
      labelNames: ["channel", "command", "outcome"],
      registers,
    });
    this.modelRequests = new Counter({
      name: "openclaw_model_requests_total",
      help: "Provider calls, by provider and outcome (ok or the failure kind).",
      labelNames: ["provider", "outcome"],
      registers,
    });
    this.modelDuration = new Histogram({
      name: "openclaw_model_request_duration_seconds",
      help: "Duration of provider calls.",
      labelNames: ["provider"],
      buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 120],
      registers,
    });
    this.tokens = new Counter({
      name: "openclaw_tokens_total",
      help: "Tokens of provider calls as the providers counted them, by provider, model, credential profile and kind (input, output, cacheRead, cacheWrite).",
      labelNames: ["provider", "model", "profile", "kind"],
      registers,
    });
    this.costUsd = new Counter({
      name: "openclaw_cost_usd_total",
      help: "Estimated cost in USD of the provider calls whose model has a price, by provider, model and credential profile.",
      labelNames: ["provider", "model", "profile"],
      registers,
    });
    const perProvider = (name: string, help: string, pick: (c: CredentialCounts) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ["provider"],
        registers,
        collect() {
          this.reset();
          for (const c of sources.credentials()) this.set({ provider: c.provider }, pick(c));
        },
      });
    perProvider("openclaw_credential_cooldowns", "Credentials of the provider in cooldown now.", (c) => c.cooldowns);
    perProvider(
      "openclaw_credentials_expiring",
      "Credentials of the provider that expire within 24 h.",
      (c) => c.expiring,
    );
    new Gauge({
      name: "openclaw_session_store_up",
      help: "1 when the session store answers, else 0.",
      registers,
      async collect() {
        this.set((await sources.storeUp()) ? 1 : 0);
      },
    });
    setTimeout(() => this.collectProcessMetrics(), DEFAULT_METRICS_AFTER_MS).unref();
  }

  /** Node's process metrics (prom-client's defaults: CPU, memory, event loop lag, GC), from now on. */
  private collectProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    const collect = load("prom-client/lib/defaultMetrics") as typeof Prom.collectDefaultMetrics;
    collect({ register: this.registry });
  }

  command(channel: string, command: string, outcome: CommandOutcome): void {
    this.commands.inc({ channel, command, outcome });
  }

  modelRequest(provider: string, outcome: string, seconds: number): void {
    this.modelRequests.inc({ provider, outcome });
    this.modelDuration.observe({ provider }, seconds);
  }

  modelUsage(labels: UsageLabels, tokens: TokenTally, costUsd: number | undefined): void {
    const { provider, model, profile } = labels;
    for (const kind of TOKEN_KINDS)
      if (tokens[kind] > 0) this.tokens.inc({ provider, model, profile, kind }, tokens[kind]);
    if (costUsd !== undefined) this.costUsd.inc({ provider, model, profile }, costUsd);
  }

  /** `GET /metrics`; with a token, only requests bearing `Authorization: Bearer <token>` get the text. */
  handler(token: string | undefined): HttpHandler {
    return async (req): Promise<HttpResponse> => {
      if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
        return { status: 401, headers: { "www-authenticate": "Bearer" }, body: { error: "unauthorized" } };
      }
      this.collectProcessMetrics();
      return {
        status: 200,
        headers: { "content-type": this.registry.contentType },
        body: await this.registry.metrics(),
      };
    };
  }
}
