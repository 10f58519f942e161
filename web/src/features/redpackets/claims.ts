// Who got what from a packet (from its PacketClaimed logs) and who was luckiest (拼手气: the
// biggest share of a random packet; on a tie the earlier claim wins, as WeChat shows it). Also the
// packet's state as the sender's list shows it. Pure.
import type { Address } from "viem";

export type PacketClaim = { claimer: Address; amount: bigint; index: number };

export type ClaimsSummary = {
  claims: PacketClaim[];
  total: bigint;
  /** Only for a random packet with at least two claims: otherwise nobody is "luckiest". */
  luckiest: PacketClaim | null;
};

export function summariseClaims(claims: readonly PacketClaim[], random: boolean): ClaimsSummary {
  const ordered = [...claims].sort((a, b) => a.index - b.index);
  let total = 0n;
  let luckiest: PacketClaim | null = null;
  for (const claim of ordered) {
    total += claim.amount;
    if (!luckiest || claim.amount > luckiest.amount) luckiest = claim;
  }
  return { claims: ordered, total, luckiest: random && ordered.length >= 2 ? luckiest : null };
}

export type PacketState = "open" | "finished" | "expired" | "refunded";

export type PacketFacts = { remaining: bigint; shares: bigint; claimed: bigint; expiry: bigint; refunded: boolean };

/** `now` in unix seconds (the chain's clock, when known). */
export function packetState(p: PacketFacts, now: bigint): PacketState {
  if (p.refunded) return "refunded";
  if (p.claimed >= p.shares || p.remaining === 0n) return "finished";
  if (now >= p.expiry) return "expired";
  return "open";
}

/** The sender can take the rest back from expiry on, once, if anything is left. */
export function canRefund(p: PacketFacts, now: bigint): boolean {
  return !p.refunded && p.remaining > 0n && now >= p.expiry;
}
