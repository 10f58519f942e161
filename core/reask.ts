// When money leaves, ask again (issue 14): a payment or transfer above the limit the resident sets
// (500 元 unless changed) and always a first payment to a new person. A passkey account asks for a
// fresh fingerprint or face (the passkey signs every operation anyway); the built-in wallet asks for
// the passcode once more. "New person": no earlier payment or transfer from me to that address in
// my history, not one of my contacts, and not a shop in the city's merchant registry (registered
// shops are not strangers, issue 14 "Alerts that are right"). Pure: the pages pass what they know.

/** 500 元, in fen: the limit until the resident sets another on the settings page. */
export const DEFAULT_REASK_LIMIT_FEN = 500_00n;

export type ReaskReason = "amount" | "newPerson";

export type ReaskInput = {
  /** What leaves, in fen. */
  fen: bigint;
  /** The resident's limit, in fen: above it, ask again. */
  limitFen: bigint;
  /** The receiver is one of the resident's contacts. */
  isContact: boolean;
  /** The receiver is a shop in the city's merchant registry: a registered shop is not a stranger. */
  isRegisteredMerchant?: boolean;
  /** An earlier payment or transfer from me to the receiver is in my history (undefined: not known yet). */
  paidBefore: boolean | undefined;
};

/**
 * Why to ask again before sending, or null when the resident's one confirmation is enough. A history
 * that is not known yet counts as "new person": asking once too often is safer than once too few.
 */
export function reaskReason(input: ReaskInput): ReaskReason | null {
  if (input.fen > input.limitFen) return "amount";
  if (!input.isContact && !input.isRegisteredMerchant && input.paidBefore !== true) return "newPerson";
  return null;
}

/** Reads a limit typed in yuan (whole or with up to 2 decimals); null when it is not one. */
export function parseLimitYuan(text: string): bigint | null {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return BigInt(m[1] ?? "0") * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
}
