/**
 * The one way a secret is shown: `sk-ant-o…Fq1x` (first 8 and last 4 characters) for secrets of
 * 24 characters or more, and nothing but `****` for shorter ones, so a short key never prints whole
 * or mostly whole. Empty or missing secrets show as `(empty)`.
 */
export function maskSecret(secret: string | undefined): string {
  if (!secret) return "(empty)";
  if (secret.length < 24) return "****";
  return `${secret.slice(0, 8)}…${secret.slice(-4)}`;
}

/**
 * Replaces every occurrence of each known secret in `text` with its mask. The last line of defence
 * for error messages that may echo a request (SDK errors, HTTP bodies) before they reach a person.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) {
    // Short values would redact ordinary words; they are never printed by us anyway.
    if (s.length >= 8 && out.includes(s)) out = out.split(s).join(maskSecret(s));
  }
  return out;
}
