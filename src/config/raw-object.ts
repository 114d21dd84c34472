/** A JSON object as read from a file, before validation, so unknown keys survive a rewrite. */
export type RawObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isRawObject(v: unknown): v is RawObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Returns the object at `keys` inside `raw`, creating empty objects along the way. */
export function objectAt(raw: RawObject, ...keys: readonly string[]): RawObject {
  let cur = raw;
  for (const k of keys) {
    const next = cur[k];
    if (isRawObject(next)) cur = next;
    else {
      const created: RawObject = {};
      cur[k] = created;
      cur = created;
    }
  }
  return cur;
}
