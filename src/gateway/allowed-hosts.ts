import net from "node:net";
import type { OpenClawConfig } from "../config/schema.js";

/**
 * Decides which `Host` header values the gateway answers. DNS rebinding points a name the attacker
 * owns at our address, so the browser sends that name as `Host`: refusing names we were not told
 * about stops it. IP literals are always accepted (a rebinding attack cannot produce one, and a LAN
 * bind is reached by the machine's addresses), as are `localhost` and `*.localhost` (RFC 6761).
 * A configured name that starts with a dot also accepts its subdomains.
 */
export class AllowedHosts {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];
  /**
   * The last header value allowed: a proxy or webhook sender repeats one `Host` on every request,
   * and parsing it is a URL parse per request. One slot, allowed values only, so a client sending
   * many names cannot grow it.
   */
  private lastAllowed: string | undefined;

  constructor(names: readonly string[]) {
    for (const raw of names) {
      const name = normalise(raw);
      if (name === "") continue;
      if (name.startsWith(".")) {
        this.suffixes.push(name);
        this.exact.add(name.slice(1));
      } else this.exact.add(name);
    }
  }

  /** Whether a request carrying this `Host` header is for us. A missing or unparsable header is not. */
  allows(header: string | undefined): boolean {
    if (header !== undefined && header === this.lastAllowed) return true;
    const host = hostnameOf(header);
    if (host === undefined) return false;
    const allowed =
      net.isIP(host) !== 0 ||
      host === "localhost" ||
      host.endsWith(".localhost") ||
      this.exact.has(host) ||
      this.suffixes.some((s) => host.endsWith(s));
    if (allowed) this.lastAllowed = header;
    return allowed;
  }
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** The host name of a `Host` header (no port, no IPv6 brackets, lower case), or undefined. */
function hostnameOf(header: string | undefined): string | undefined {
  if (header === undefined || header === "") return undefined;
  try {
    const host = new URL(`http://${header}`).hostname;
    return normalise(host.startsWith("[") ? host.slice(1, -1) : host);
  } catch {
    return undefined;
  }
}

/**
 * The host names the config names besides loopback and IP literals: `gateway.allowedHosts`, a bind
 * address given as a name, and the host of `channels.telegram.webhookUrl` (Telegram posts to it, so
 * a proxy that keeps the `Host` header forwards that name).
 */
export function configuredHostNames(config: OpenClawConfig, bindAddress: string): string[] {
  const names = [...(config.gateway?.allowedHosts ?? []), bindAddress];
  const webhookUrl = config.channels?.telegram?.webhookUrl;
  // The schema checked it is a URL.
  if (webhookUrl) names.push(new URL(webhookUrl).hostname);
  return names;
}
