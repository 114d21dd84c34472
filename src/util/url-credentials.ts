/**
 * A URL that may carry credentials (`redis://user:pass@host/0?password=…`), fit to print: the
 * whole user-info part and every query value replaced by `***`, the fragment dropped. Scheme,
 * host, port, path and query keys stay, so people can still tell which server is meant.
 */
export function printableUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "(an unparsable URL)";
  }
  const user = u.username !== "" || u.password !== "" ? "***@" : "";
  const query = [...u.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=***`).join("&");
  return `${u.protocol}//${user}${u.host}${u.pathname}${query ? `?${query}` : ""}`;
}

/**
 * Every credential a URL carries: user, password and query values, each as written and decoded,
 * for a redactor to keep out of any output.
 */
export function urlCredentials(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const raw = [u.username, u.password];
  const out = new Set<string>();
  for (const v of raw) if (v !== "") out.add(v).add(safeDecode(v));
  for (const v of u.searchParams.values()) if (v !== "") out.add(v).add(encodeURIComponent(v));
  return [...out];
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
