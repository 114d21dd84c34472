const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Whether `hostname` (as `URL#hostname` gives it) names this machine: 127.0.0.0/8, `[::1]` or
 * `localhost`. The URL parser has already lower-cased the name and written an IPv4 address in its
 * dotted decimal form (`127.1` is `127.0.0.1`), so `127.example.com` is no address here.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || LOOPBACK_V4.test(hostname);
}

/**
 * Whether a credential may be sent to `url`: over `https:` anywhere, over plain `http:` only to
 * this machine (a test server, a local proxy), never over any other scheme.
 */
export function mayCarryCredentials(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === "https:") return true;
  return parsed.protocol === "http:" && isLoopbackHost(parsed.hostname);
}
