import { isPlaceholder } from "./env-keys.js";
import { maskSecret, redactSecretShapes } from "../util/mask.js";

/**
 * The process-wide register of secrets in use, and the redaction every log line, reply and CLI
 * output goes through. A registered secret is found whole, in its normalised form (line breaks,
 * whitespace, quotes and JSON escapes removed), URL-encoded, and as any {@link PIECE}-character
 * piece of any of these, even when the text splits that piece with a line break, a space, a quote
 * or a JSON escape: an error that echoes half a key, or a key pasted across two lines, is caught as
 * surely as a whole key.
 */

/** Length of the shortest secret fragment that is redacted wherever it appears. */
export const PIECE = 12;

/** Shorter values would redact ordinary words; we never print them anyway. */
const MIN_SECRET = 8;

/**
 * The public start of a provider key (`sk-ant-api03-`, `sk-proj-`, `sk-or-v1-`): the same in every
 * key, named in our own hints, so a piece that lies wholly inside it is not a secret.
 */
export const PUBLIC_PREFIX = /^sk-(?:[a-z]+\d*-){1,2}/;
/** Longest public prefix a whole secret's run is extended back over. */
const MAX_PREFIX = 24;

/**
 * Fewest characters past a key's public prefix that a piece holds. With one, a piece such as
 * `-ant-api03-a` matched our own hint "they start with sk-ant-api03- and …" (the space is a
 * separator) for one key in 62; with four, one text in 15 million.
 */
const MIN_PAST_PREFIX = 4;

/** Every {@link PIECE}-character piece of `secret` that holds at least 4 characters past its public prefix. */
export function secretPieces(secret: string): string[] {
  const open = PUBLIC_PREFIX.exec(secret)?.[0].length ?? 0;
  const pieces: string[] = [];
  for (let i = Math.max(0, open + MIN_PAST_PREFIX - PIECE); i + PIECE <= secret.length; i++)
    pieces.push(secret.slice(i, i + PIECE));
  return pieces;
}

/**
 * What may sit inside a secret in text without ending it: whitespace, quotes, and the JSON
 * escapes of line breaks, tabs, quotes and backslashes. Tried in order at each position.
 */
const SEPARATOR = /(?:\s|["'`]|\\[nrt"'\\]|\\u00(?:0[9ad]|2[27]))/y;

/** Removes everything {@link SEPARATOR} matches, as a pasted secret is read. */
export function normaliseSecret(secret: string): string {
  return secret.replace(/\\[nrt"'\\]|\\u00(?:0[9ad]|2[27])|[\s"'`]/g, "");
}

/**
 * The forms a provider may echo a secret in when it quotes a query string or a form body:
 * `encodeURIComponent`'s and the form encoding's (`+` for a space, `!'()~` escaped), of the secret
 * and of the value as typed when that has spaces inside. Only forms that differ from the secret.
 */
function urlEncodedForms(secret: string, typed: string): Set<string> {
  const forms = new Set<string>();
  // A value used with its spaces (a password, a passphrase) is sent and echoed with them.
  for (const value of typed.includes(" ") ? [secret, typed] : [secret]) {
    forms.add(normaliseSecret(encodeURIComponent(value)));
    forms.add(new URLSearchParams({ s: value }).toString().slice(2));
  }
  forms.delete(secret);
  return forms;
}

/** A printable ASCII character that starts no separator: by far most characters of any text. */
function plainAscii(code: number): boolean {
  return code > 32 && code < 127 && code !== 34 && code !== 39 && code !== 92 && code !== 96;
}

/** The length of the separator at `text[i]`, or 0. */
function separatorAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (plainAscii(code)) return 0;
  if (code === 32 || code === 10 || code === 13 || code === 9 || code === 34 || code === 39 || code === 96) return 1;
  SEPARATOR.lastIndex = i;
  return SEPARATOR.exec(text)?.[0].length ?? 0;
}

/** `text` without separators, and for each kept character the index it had in `text`. */
function withoutSeparators(text: string): { kept: string; at: number[] } {
  let kept = "";
  const at: number[] = [];
  for (let i = 0; i < text.length; ) {
    const sep = separatorAt(text, i);
    if (sep > 0) {
      i += sep;
      continue;
    }
    kept += text.charAt(i);
    at.push(i);
    i += 1;
  }
  return { kept, at };
}

/** `text` with every character kept where it is. */
function asIs(text: string): { kept: string; at: number[] } {
  return { kept: text, at: Array.from({ length: text.length }, (_, i) => i) };
}

/**
 * Pieces are looked up by a rolling hash of their characters first, so that scanning a text costs
 * no string per position; a hash hit is confirmed on the piece itself.
 */
const HASH_BASE = 257;
/** HASH_BASE ** (PIECE - 1), in 32-bit arithmetic: the weight of a window's first character. */
const HASH_TOP = Array.from({ length: PIECE - 1 }).reduce<number>((p) => Math.imul(p, HASH_BASE), 1);

/** The hash of the {@link PIECE} characters of `s` from `from`. */
function pieceHash(s: string, from: number): number {
  let h = 0;
  for (let i = from; i < from + PIECE; i++) h = (Math.imul(h, HASH_BASE) + s.charCodeAt(i)) | 0;
  return h;
}

/** Texts up to this long are remembered with their redaction (a Telegram message is at most 4096). */
const RECENT_MAX_CHARS = 4096;
/** How many redacted texts are remembered; all are forgotten when one more comes. */
const RECENT_ENTRIES = 64;

/** A register of secrets and the redaction over them. One instance serves the whole process. */
export class SecretRedactor {
  /** Normalised secret, and each of its URL-encoded forms → the secret's mask. */
  private readonly masks = new Map<string, string>();
  /** How many distinct secrets are registered (each has several forms in {@link masks}). */
  private secrets = 0;
  /** Every {@link PIECE}-character piece of every form long enough to have one. */
  private readonly pieces = new Set<string>();
  /** The {@link pieceHash} of every piece. */
  private readonly pieceHashes = new Set<number>();
  /** One bit per low 16 bits of a piece's hash: most windows of a text are ruled out by one array read. */
  private readonly hashBits = new Uint8Array(8192);
  /** The characters {@link hasPiece} read last. */
  private readonly ring = new Uint16Array(16);
  /** Secrets shorter than a piece: found whole only. */
  private readonly short: string[] = [];
  /**
   * Texts redacted since the register last changed, and their redaction: a status, a list or a help
   * text goes out again and again unchanged, and a lookup costs a tenth of a scan.
   */
  private readonly recent = new Map<string, string>();

  /**
   * Registers secrets (raw as read; normalised here). Short values and placeholders are ignored;
   * a comma- or semicolon-separated list registers each item.
   */
  register(secrets: Iterable<string | undefined>): void {
    for (const value of secrets) {
      // A key list (`ANTHROPIC_API_KEYS=a,b`) is its items: registered whole, its pieces would span
      // two keys and take in their public prefixes.
      for (const raw of value?.split(/[,;]/) ?? []) {
        const secret = normaliseSecret(raw);
        if (secret.length < MIN_SECRET || isPlaceholder(secret) || this.masks.has(secret)) continue;
        const mask = maskSecret(secret);
        this.secrets++;
        this.add(secret, mask);
        for (const form of urlEncodedForms(secret, raw.trim())) this.add(form, mask);
      }
    }
  }

  /** Adds one form of a secret, whole and in pieces, shown as the secret's `mask`. */
  private add(form: string, mask: string): void {
    if (this.masks.has(form)) return;
    this.recent.clear();
    this.masks.set(form, mask);
    if (form.length < PIECE) this.short.push(form);
    for (const piece of secretPieces(form)) {
      this.pieces.add(piece);
      const hash = pieceHash(piece, 0);
      this.pieceHashes.add(hash);
      const slot = (hash >>> 3) & 8191;
      this.hashBits[slot] = (this.hashBits[slot] ?? 0) | (1 << (hash & 7));
    }
  }

  /**
   * Forgets every secret. For in-process test runs, each of which stands in for a fresh process:
   * without it, a secret registered by one run would hide a path that forgets to register it.
   */
  clear(): void {
    this.masks.clear();
    this.secrets = 0;
    this.pieces.clear();
    this.pieceHashes.clear();
    this.hashBits.fill(0);
    this.short.length = 0;
    this.recent.clear();
  }

  /** How many distinct secrets are registered. */
  get size(): number {
    return this.secrets;
  }

  /**
   * Masks anything shaped like a key, then every registered secret in `text`: a whole one (however
   * split) becomes its usual mask (`sk-ant-a…Fq1x`), any other run of its pieces `[redacted]`.
   */
  redact(text: string): string {
    if (text.length > RECENT_MAX_CHARS) return this.redactNow(text);
    const known = this.recent.get(text);
    if (known !== undefined) return known;
    const redacted = this.redactNow(text);
    if (this.recent.size >= RECENT_ENTRIES) this.recent.clear();
    this.recent.set(text, redacted);
    return redacted;
  }

  private redactNow(text: string): string {
    // Shapes first: a whole key is masked as one even when a few of its pieces also belong to
    // another registered key (pieces that overlap the public prefix `sk-ant-api03-` can), which
    // would otherwise cut it in two and leave its tail unmasked.
    const shaped = redactSecretShapes(text);
    if (this.masks.size === 0) return shaped;
    // Most text holds no secret: a scan that allocates nothing says so before the full search.
    const backslash = shaped.includes("\\");
    if (this.short.length === 0 && !this.hasPiece(shaped, true) && !(backslash && this.hasPiece(shaped, false)))
      return shaped;
    const known = this.redactKnown(shaped, withoutSeparators(shaped));
    // A backslash just before a piece reads as an escape with the piece's first character (`\n`,
    // `\t`, `\u…`), and the rest is one character short of a piece: such text is searched as it
    // stands as well.
    return backslash ? this.redactKnown(known, asIs(known)) : known;
  }

  /** Whether `text` holds a piece of a registered secret, with separators skipped or as it stands. */
  private hasPiece(text: string, skipSeparators: boolean): boolean {
    // The last 16 characters read, of which a window holds the last PIECE; 16 so that a mask finds
    // a slot where a remainder would cost a division per character.
    const ring = this.ring;
    const bits = this.hashBits;
    let read = 0;
    let hash = 0;
    for (let i = 0; i < text.length; ) {
      const code = text.charCodeAt(i);
      if (skipSeparators && !plainAscii(code)) {
        const sep = separatorAt(text, i);
        if (sep > 0) {
          i += sep;
          continue;
        }
      }
      i++;
      if (read >= PIECE) hash = (hash - Math.imul(ring[(read - PIECE) & 15] ?? 0, HASH_TOP)) | 0;
      hash = (Math.imul(hash, HASH_BASE) + code) | 0;
      ring[read & 15] = code;
      read++;
      if (read < PIECE || ((bits[(hash >>> 3) & 8191] ?? 0) & (1 << (hash & 7))) === 0) continue;
      if (!this.pieceHashes.has(hash)) continue;
      let piece = "";
      for (let k = read - PIECE; k < read; k++) piece += String.fromCharCode(ring[k & 15] ?? 0);
      if (this.pieces.has(piece)) return true;
    }
    return false;
  }

  /** Masks the secrets found in `kept`, the characters of `text` at the indices `at`. */
  private redactKnown(text: string, { kept, at }: { kept: string; at: number[] }): string {
    if (kept.length < MIN_SECRET) return text;
    // Runs [start, end) of kept characters that belong to a secret.
    const runs: Array<[number, number]> = [];
    const mark = (start: number, end: number) => {
      const last = runs[runs.length - 1];
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else runs.push([start, end]);
    };
    // Only text that holds a piece ({@link hasPiece}) gets here, or any text while a short secret is
    // registered: plain lookups serve.
    for (let i = 0; i < kept.length; i++) {
      if (i + PIECE <= kept.length && this.pieces.has(kept.slice(i, i + PIECE))) {
        mark(i, i + PIECE);
        continue;
      }
      for (const s of this.short) if (kept.startsWith(s, i)) mark(i, i + s.length);
    }
    if (runs.length === 0) return text;
    let out = "";
    let from = 0;
    for (const [found, end] of runs) {
      // A whole secret's run starts after its public prefix: take the prefix back in to show its mask.
      let start = found;
      let mask: string | undefined;
      for (let back = 0; back <= MAX_PREFIX && back <= found && mask === undefined; back++) {
        mask = this.masks.get(kept.slice(found - back, end));
        if (mask !== undefined) start = found - back;
      }
      const first = at[start] ?? 0;
      const last = (at[end - 1] ?? first) + 1;
      out += text.slice(Math.min(from, first), first) + (mask ?? "[redacted]");
      from = last;
    }
    return out + text.slice(from);
  }
}

/** The process's register: the logger, gateway replies and CLI output all redact against it. */
export const secretRedactor = new SecretRedactor();

/** Registers secrets with the process's register ({@link secretRedactor}). */
export function registerSecrets(secrets: Iterable<string | undefined>): void {
  secretRedactor.register(secrets);
}

/** Redacts `text` against the process's register and the key shapes. */
export function redactText(text: string): string {
  return secretRedactor.redact(text);
}
