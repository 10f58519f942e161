// Validation of every field a client may send: type, length and format. Each function takes
// the parsed JSON body (unknown) and returns clean, normalised values or throws ApiError.
import { getAddress, isAddress } from "viem";
import { ApiError, badField, missingField, tooLong } from "./errors.js";

export type Body = Record<string, unknown>;

/** C0/C1 control characters and line/paragraph separators: never part of a name or note. */
function hasControlCharacters(s: string, allowNewlines: boolean): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (allowNewlines && c === 0x0a) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/**
 * Characters that change how a name looks without being seen: bidirectional overrides and
 * isolates (which reverse "Alice‮ecilA" on screen), zero-width and other default-ignorable
 * characters, and fillers that render blank. A name shown to other people (a contact's name, a
 * profile name) must not contain them, or two different names can look the same. The
 * zero-width joiner is allowed only inside an emoji sequence (👨‍👩‍👧), and VS16 (U+FE0F) is allowed.
 */
const INVISIBLE_RANGES: readonly [number, number][] = [
  [0x00ad, 0x00ad], // soft hyphen
  [0x034f, 0x034f], // combining grapheme joiner
  [0x061c, 0x061c], // Arabic letter mark
  [0x115f, 0x1160], // Hangul fillers
  [0x17b4, 0x17b5], // Khmer inherent vowels
  [0x180b, 0x180f], // Mongolian variation selectors and vowel separator
  [0x200b, 0x200c], // zero-width space and non-joiner
  [0x200e, 0x200f], // left-to-right and right-to-left marks
  [0x202a, 0x202e], // bidirectional embeddings and overrides
  [0x2060, 0x206f], // word joiner, invisible operators, bidirectional isolates
  [0x3164, 0x3164], // Hangul filler
  [0xfe00, 0xfe0e], // variation selectors (VS16, U+FE0F, is allowed: emoji presentation)
  [0xfeff, 0xfeff], // zero-width no-break space
  [0xffa0, 0xffa0], // halfwidth Hangul filler
  [0xfff0, 0xfff8], // unassigned specials
  [0xe0000, 0xe0fff], // tags and variation selectors supplement
];
const ZWJ = 0x200d;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

export function hasInvisibleCharacters(s: string): boolean {
  const chars = [...s];
  return chars.some((ch, i) => {
    const c = ch.codePointAt(0) as number;
    if (c === ZWJ) {
      const before = chars[i - 1] === "\uFE0F" ? chars[i - 2] : chars[i - 1];
      return !(PICTOGRAPHIC.test(before ?? "") && PICTOGRAPHIC.test(chars[i + 1] ?? ""));
    }
    return INVISIBLE_RANGES.some(([from, to]) => c >= from && c <= to);
  });
}

/**
 * Combining marks that draw over or around a name instead of spelling it: overlays that strike a
 * letter through (U+0334–U+0338, U+0335 "a̵"), enclosing marks (U+20DD "a⃝", and every \p{Me}), and
 * the generic combining blocks (U+0300–U+036F, U+1AB0–U+1AFF, U+1DC0–U+1DFF, U+20D0–U+20FF,
 * U+FE20–U+FE2F). Names are NFC-normalised first, so a real accented letter (é, ǎ, ễ) is one
 * precomposed character and passes; what is left from these blocks only decorates, and makes
 * "王阿姨" and "王̶阿姨" two names that read alike. Script-specific vowel signs (Devanagari, Thai, …)
 * live outside these blocks and stay allowed, but more than two marks in a row ("Zalgo") are not.
 */
const COMBINING_RANGES: readonly [number, number][] = [
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
];
const ENCLOSING_MARK = /\p{Me}/u;
const MARK = /\p{M}/u;

export function hasCombiningOverlay(s: string): boolean {
  let run = 0;
  for (const ch of s.normalize("NFC")) {
    const c = ch.codePointAt(0) as number;
    if (COMBINING_RANGES.some(([from, to]) => c >= from && c <= to) || ENCLOSING_MARK.test(ch)) return true;
    run = MARK.test(ch) ? run + 1 : 0;
    if (run > 2) return true;
  }
  return false;
}

export function asObject(value: unknown): Body {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ApiError(400, "expected_object", "The request body must be a JSON object");
  }
  return value as Body;
}

/** Refuses fields we do not know, so a typo is an error rather than silently ignored. */
export function onlyFields(body: Body, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw new ApiError(400, "unknown_field", `${key} is not an accepted field`);
  }
}

/** Length in user-perceived characters (code points), so 王阿姨 counts 3, not 3 UTF-16 units by luck. */
function charCount(s: string): number {
  return [...s].length;
}

export function text(
  body: Body,
  field: string,
  opts: { min: number; max: number; required: true; multiline?: boolean; shownToOthers?: boolean },
): string;
export function text(
  body: Body,
  field: string,
  opts: { min: number; max: number; required: false; multiline?: boolean; shownToOthers?: boolean },
): string | null | undefined;
export function text(
  body: Body,
  field: string,
  opts: { min: number; max: number; required: boolean; multiline?: boolean; shownToOthers?: boolean },
): string | null | undefined {
  const raw = body[field];
  if (raw === undefined || (raw === null && !opts.required)) {
    if (opts.required) throw missingField(field);
    return raw as null | undefined;
  }
  if (typeof raw !== "string") throw badField(field, "must be a string");
  const value = raw.trim().normalize("NFC");
  if (charCount(value) > opts.max) throw tooLong(field, opts.max);
  if (charCount(value) < opts.min) {
    throw opts.min === 1 ? missingField(field) : badField(field, `must be at least ${opts.min} characters`);
  }
  if (hasControlCharacters(value, opts.multiline === true))
    throw badField(field, "must not contain control characters");
  if (opts.shownToOthers === true && hasInvisibleCharacters(value)) {
    throw new ApiError(
      400,
      "invisible_characters",
      `${field} must not contain invisible or text-direction characters (they make look-alike names)`,
    );
  }
  if (opts.shownToOthers === true && hasCombiningOverlay(value)) {
    throw new ApiError(
      400,
      "combining_marks",
      `${field} must not contain combining marks drawn over letters (strike-through, enclosing circles): they make look-alike names`,
    );
  }
  return value;
}

/** A Chinese mobile number, with or without +86; stored as +86 followed by 11 digits. */
export function chineseMobile(raw: string, field = "phone"): string {
  const compact = raw.replace(/[\s-]/g, "");
  const match = /^(?:\+?86)?(1[3-9]\d{9})$/.exec(compact);
  if (match === null) throw badField(field, "must be a Chinese mobile number (+86 and 11 digits starting with 1)");
  return `+86${match[1]}`;
}

export function address(raw: unknown, field: string): `0x${string}` {
  if (raw === undefined || raw === null || raw === "") throw missingField(field);
  if (typeof raw !== "string") throw badField(field, "must be a string");
  if (raw.length > 42) throw tooLong(field, 42);
  // A mixed-case address must carry a valid EIP-55 checksum; all-lower/upper is accepted.
  if (!isAddress(raw, { strict: true }))
    throw badField(field, "must be an Ethereum address (0x + 40 hex, valid checksum)");
  return getAddress(raw);
}

export function bytes32(raw: unknown, field: string): `0x${string}` {
  if (raw === undefined || raw === null || raw === "") throw missingField(field);
  if (typeof raw !== "string") throw badField(field, "must be a string");
  if (raw.length > 66) throw tooLong(field, 66);
  if (!/^0x[0-9a-fA-F]{64}$/.test(raw)) throw badField(field, "must be 32 bytes in hex (0x + 64 hex digits)");
  return raw.toLowerCase() as `0x${string}`;
}

/** A whole number of fen in [min, max]; accepts a JSON number or a decimal string. */
export function fen(body: Body, field: string, min: bigint, max: bigint): bigint {
  const raw = body[field];
  if (raw === undefined || raw === null || raw === "") throw missingField(field);
  let value: bigint;
  if (typeof raw === "number") {
    if (!Number.isSafeInteger(raw)) throw badField(field, "must be a whole number of fen");
    value = BigInt(raw);
  } else if (typeof raw === "string") {
    if (raw.length > 20) throw tooLong(field, 20);
    if (!/^\d+$/.test(raw)) throw badField(field, "must be a whole number of fen");
    value = BigInt(raw);
  } else {
    throw badField(field, "must be a whole number of fen");
  }
  if (value < min || value > max) throw badField(field, `must be between ${min} and ${max} fen`);
  return value;
}
