import { routeReply } from "./choice-route.js";
import { masked } from "./host.js";
import { errorMessage, type Log } from "./log.js";
import type { GatewayServices, NotifyTarget, PluginDefinition, PluginRuntime, Reply } from "./types.js";

/** Sends a text reply to a user of one channel as a direct message. */
export type Outlet = (userId: string, reply: Reply) => Promise<void>;

/**
 * Starts and stops plugins that have work of their own (DESIGN section 1: `start`/`stop`,
 * scheduled work, `notify`). Channels register an outlet once connected; plugins name a channel
 * and a user, never a channel object, so adapters stay unaware of them.
 */
export class PluginRuntimes {
  private readonly outlets = new Map<string, Outlet>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ticks: Array<() => void> = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly started: PluginDefinition[] = [];
  private stopping = false;

  constructor(
    private readonly services: GatewayServices,
    private readonly plugins: readonly PluginDefinition[],
    private readonly log: Log,
  ) {}

  /**
   * Lets plugins send direct messages on `channel` (called when the channel connects). Scheduled
   * work runs once more at that moment, so a message held back for the channel goes out now
   * rather than an interval later.
   */
  setOutlet(channel: string, outlet: Outlet): void {
    this.outlets.set(channel, outlet);
    for (const tick of this.ticks) tick();
  }

  /** Starts every plugin that has `start`; one that throws is logged and left out. */
  async start(): Promise<void> {
    for (const plugin of this.plugins) {
      if (!plugin.start) continue;
      try {
        await plugin.start(this.runtime(plugin.name));
        this.started.push(plugin);
      } catch (err) {
        this.log("error", `${plugin.name}: could not start: ${errorMessage(err)}`);
      }
    }
  }

  /** Stops scheduled work, waits for runs in progress, then calls each plugin's `stop`. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    await Promise.allSettled([...this.inflight]);
    for (const plugin of this.started.reverse()) {
      try {
        await plugin.stop?.();
      } catch (err) {
        this.log("error", `${plugin.name}: stop failed: ${errorMessage(err)}`);
      }
    }
  }

  private runtime(name: string): PluginRuntime {
    return {
      services: this.services,
      log: this.log,
      notify: async (target: NotifyTarget, reply: Reply) => {
        const outlet = this.outlets.get(target.channel);
        if (!outlet) return false;
        try {
          // Buttons in a proactive message find their way back to this plugin, as a reply's do.
          await outlet(target.userId, masked(routeReply(name, reply)));
          return true;
        } catch (err) {
          this.log("warn", `${name}: could not message a ${target.channel} user: ${errorMessage(err)}`);
          return false;
        }
      },
      every: (intervalMs, work) => {
        let running: Promise<void> | undefined;
        const tick = () => {
          if (running || this.stopping) return;
          running = work()
            .catch((err: unknown) => this.log("error", `${name}: scheduled work failed: ${errorMessage(err)}`))
            .finally(() => {
              if (running) this.inflight.delete(running);
              running = undefined;
            });
          this.inflight.add(running);
        };
        tick();
        this.ticks.push(tick);
        const timer = setInterval(tick, intervalMs);
        timer.unref();
        this.timers.add(timer);
      },
    };
  }
}
