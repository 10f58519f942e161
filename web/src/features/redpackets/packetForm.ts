// The red-packet form's rules, checked in the browser before anything is signed, with the same
// limits the contract enforces (read from RedPacket.limits()): every share at least 0.01 元, at
// most maxShares shares and maxTotal in all, a greeting of at most 64 bytes, an expiry within the
// maximum duration. Pure, so every rule has a test.
import { type AmountError, parseYuan } from "@core/money";

export const DEFAULT_GREETING_ZH = "恭喜发财";
export const MAX_GREETING_BYTES = 64;

export type PacketLimits = { maxTotal: bigint; maxShares: bigint; defaultDuration: bigint; maxDuration: bigint };

export type PacketFormInput = {
  /** "link": share by link (group or single); "friend": 1:1 to a known address; "friends": the
   * named friends ticked in `friends` (a Merkle tree of them gates the claims). */
  audience: "link" | "friend" | "friends";
  amount: string;
  shares: string;
  mode: "equal" | "random";
  greeting: string;
  hours: string;
  friend?: string;
  /** The ticked friends' addresses, for "friends". */
  friends?: string[];
  /** For "link": only verified residents may claim, one share each (the city service's ticket). */
  residents?: boolean;
};

export type PacketFormError =
  | AmountError
  | "sharesInvalid"
  | "sharesTooMany"
  | "sharesExceedAmount"
  | "amountOverLimit"
  | "greetingTooLong"
  | "hoursInvalid"
  | "hoursTooLong"
  | "friendInvalid"
  | "friendsTooFew"
  | "sharesOverFriends";

/** A named-friends packet is for a group: one friend is what the 1:1 packet is for. */
export const MIN_NAMED_FRIENDS = 2;

type FormField = "amount" | "shares" | "greeting" | "hours" | "friends";

export type PacketPlan = {
  amount: bigint;
  shares: bigint;
  mode: "equal" | "random";
  greeting: string;
  duration: bigint;
};

export function checkPacketForm(
  input: PacketFormInput,
  limits: PacketLimits,
  defaultGreeting: string,
): { ok: true; plan: PacketPlan } | { ok: false; errors: Partial<Record<FormField, PacketFormError>> } {
  const errors: Partial<Record<FormField, PacketFormError>> = {};
  const amount = parseYuan(input.amount);
  if (!amount.ok) errors.amount = amount.error;
  else if (amount.fen > limits.maxTotal) errors.amount = "amountOverLimit";

  let shares = 1n;
  const friendCount = input.friends?.length ?? 0;
  if (input.audience === "friends" && friendCount < MIN_NAMED_FRIENDS) errors.friends = "friendsTooFew";
  if (input.audience === "link" || input.audience === "friends") {
    const text = input.shares.trim();
    if (!/^\d{1,6}$/.test(text) || BigInt(text) === 0n) errors.shares = "sharesInvalid";
    else {
      shares = BigInt(text);
      if (shares > limits.maxShares) errors.shares = "sharesTooMany";
      else if (amount.ok && amount.fen < shares) errors.shares = "sharesExceedAmount";
      // More shares than friends would lock money nobody may claim until the refund.
      else if (input.audience === "friends" && shares > BigInt(friendCount) && friendCount >= MIN_NAMED_FRIENDS)
        errors.shares = "sharesOverFriends";
    }
  }

  const greeting = input.greeting.trim() === "" ? defaultGreeting : input.greeting.trim();
  if (new TextEncoder().encode(greeting).length > MAX_GREETING_BYTES) errors.greeting = "greetingTooLong";

  let duration = limits.defaultDuration;
  if (input.hours.trim() !== "") {
    const hours = Number(input.hours);
    if (!Number.isFinite(hours) || hours <= 0 || !/^\d+(\.\d+)?$/.test(input.hours.trim()))
      errors.hours = "hoursInvalid";
    else {
      duration = BigInt(Math.round(hours * 3600));
      if (duration > limits.maxDuration) errors.hours = "hoursTooLong";
    }
  }

  if (Object.keys(errors).length > 0 || !amount.ok) return { ok: false, errors };
  return {
    ok: true,
    plan: { amount: amount.fen, shares, mode: shares === 1n ? "equal" : input.mode, greeting, duration },
  };
}
