// The one way the dApp keeps things in this browser's localStorage: JSON, read back through a
// check of its shape, so a damaged, hand-edited or older record is dropped (entry by entry where it
// is a list or a map) instead of crashing a page or passing wrong types on.

/** The value under `key` if `parse` accepts it (returns it typed), else `fallback`. */
export function readStored<T>(key: string, parse: (raw: unknown) => T | undefined, fallback: T): T {
  try {
    const text = localStorage.getItem(key);
    if (text === null) return fallback;
    return parse(JSON.parse(text)) ?? fallback;
  } catch {
    return fallback;
  }
}

/** A stored list, keeping only the entries `valid` accepts. */
export function readStoredList<T>(key: string, valid: (entry: unknown) => entry is T): T[] {
  return readStored(key, (raw) => (Array.isArray(raw) ? raw.filter(valid) : undefined), []);
}

/** A stored map of string keys, keeping only the entries whose value `valid` accepts. */
export function readStoredRecord<T>(key: string, valid: (value: unknown) => value is T): Record<string, T> {
  return readStored(
    key,
    (raw) =>
      raw !== null && typeof raw === "object" && !Array.isArray(raw)
        ? Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, T] => valid(entry[1])))
        : undefined,
    {},
  );
}

/** Stores `value` as JSON (throws if the browser refuses, e.g. storage full: callers say so). */
export function writeStored(key: string, value: unknown): void {
  localStorage.setItem(key, JSON.stringify(value));
}

/** Small shape checks the stores share. */
export const isHexString = (v: unknown): v is `0x${string}` => typeof v === "string" && /^0x[0-9a-fA-F]*$/.test(v);
export const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
