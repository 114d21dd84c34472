/**
 * Spellings of a model that OpenClaw users type and that the catalog writes another way. They are
 * rewritten before any catalog lookup, so what is stored and shown is the id the provider accepts.
 */

// OpenClaw's compatibility spelling of OpenRouter's automatic router.
const COMPAT_REFS: ReadonlyMap<string, string> = new Map([["openrouter:auto", "openrouter/auto"]]);
const DOT_BETWEEN_DIGITS = /(\d)\.(?=\d)/g;
// Claude families named without `claude-` (`opus-4.6`); other ids keep their shape.
const FAMILY_FIRST = /^(?:opus|sonnet|haiku|fable|mythos)-\d/;

/** The ref a compatibility spelling stands for (`openrouter:auto` → `openrouter/auto`), else the text unchanged. */
export function compatRef(text: string): string {
  return COMPAT_REFS.get(text.toLowerCase()) ?? text;
}

/** The provider whose ids {@link anthropicModelId} rewrites. */
export const ANTHROPIC = "anthropic";

/**
 * An Anthropic model id as the API names it: lower case, no dots between digits (`4.6` is
 * `4-6`), and `claude-` before a family named without it. So `opus-4.6`, `claude-opus-4.6` and
 * `Claude-Opus-4-6` are all `claude-opus-4-6`; `Claude-3.5-Sonnet` is `claude-3-5-sonnet`.
 */
export function anthropicModelId(id: string): string {
  const lower = id.toLowerCase().replace(DOT_BETWEEN_DIGITS, "$1-");
  return FAMILY_FIRST.test(lower) ? `claude-${lower}` : lower;
}

/**
 * A `provider/model` ref as {@link compatRef} and {@link anthropicModelId} write it, without a
 * catalog: for refs in config lists (`modelPolicy.allow: ["anthropic/opus-4.6"]`).
 */
export function canonicalRef(ref: string): string {
  const text = compatRef(ref);
  const slash = text.indexOf("/");
  if (slash < 0 || text.slice(0, slash).toLowerCase() !== ANTHROPIC) return text;
  return `${ANTHROPIC}/${anthropicModelId(text.slice(slash + 1))}`;
}
