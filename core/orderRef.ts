// Order references: the 32-byte `orderRef` CityYuan.pay records. Merchants write short text
// ("A-1024") or a full bytes32; text up to 31 bytes is stored readable (right-padded UTF-8) so
// both sides can show it, longer text is hashed. Merchant, pay page and history all use these.
import { type Hex, hexToBytes, keccak256, stringToHex } from "viem";

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
/** 31, not 32: a text ref always ends in at least one zero byte, so it never looks like a hash. */
export const MAX_TEXT_REF_BYTES = 31;

export function toOrderRef(ref: string): Hex {
  if (BYTES32.test(ref)) return ref.toLowerCase() as Hex;
  const size = new TextEncoder().encode(ref).length;
  if (size === 0) throw new Error("empty order reference");
  return size <= MAX_TEXT_REF_BYTES ? stringToHex(ref, { size: 32 }) : keccak256(stringToHex(ref));
}

/** The text a ref was made from when it is readable text, otherwise null (a hash or raw bytes). */
export function orderRefText(ref: Hex): string | null {
  const bytes = hexToBytes(ref);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end === 0 || end === bytes.length) return null;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.slice(0, end));
    // Control characters mean these were never typed text.
    const hasControl = Array.from(text).some((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f;
    });
    return hasControl ? null : text;
  } catch {
    return null;
  }
}

/** For display: the readable text, or the hash shortened as 0x1234…abcd. */
export function displayOrderRef(ref: Hex): string {
  return orderRefText(ref) ?? `${ref.slice(0, 6)}…${ref.slice(-4)}`;
}

/** A fresh random reference for a transfer or a merchant's ad-hoc request. */
export function randomOrderRef(): Hex {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}` as Hex;
}

/** Letters and digits that cannot be misread for one another (no 0/O, 1/I/L). */
const ORDER_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/**
 * A new order number for a merchant's per-order code: the date and six random characters
 * ("261129-K7P3QA", readable, 13 bytes, so it is stored as text on the chain). `isTaken` says
 * whether a number was already used (kept requests, receipts on the chain); a taken one is never
 * returned. The random part keeps two tills of one shop apart too.
 */
export function generateOrderText(now: Date, isTaken: (text: string) => boolean): string {
  const day = `${String(now.getFullYear() % 100).padStart(2, "0")}${String(now.getMonth() + 1).padStart(2, "0")}${String(now.getDate()).padStart(2, "0")}`;
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(6));
    const text = `${day}-${Array.from(bytes, (b) => ORDER_ALPHABET[b % ORDER_ALPHABET.length]).join("")}`;
    if (!isTaken(text)) return text;
  }
}
