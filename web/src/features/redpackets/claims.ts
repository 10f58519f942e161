// Who got what from a packet (from its PacketClaimed logs, plus claims whose random share is still
// being drawn, from ShareCommitted) and who was luckiest (拼手气: the biggest share of a random
// packet, named only once no share is waiting for its draw; on a tie the earlier claim wins, as
// WeChat shows it). Also the packet's state as the sender's list shows it. Pure.
import type { Address } from "viem";

/** `pending`: the claim is committed and its random share not drawn yet (`amount` is 0 until);
 * `blockNumber`: the block whose hash draws a pending share; `late`: drawn after that hash was gone,
 * so it is the smallest share (see {@link DRAW_WINDOW_BLOCKS}). */
export type PacketClaim = {
  claimer: Address;
  amount: bigint;
  index: number;
  pending?: boolean;
  blockNumber?: bigint;
  late?: boolean;
};

/** How many blocks after its claim a random share is drawn from its block's hash (the EVM keeps
 * 256); drawn later it pays 1 fen and the rest of the equal share goes back to the sender. */
export const DRAW_WINDOW_BLOCKS = 256n;

/** Blocks left before the waiting share `claim` is late (0 once it is). */
export function drawBlocksLeft(claim: PacketClaim, head: bigint): bigint {
  if (claim.blockNumber === undefined) return DRAW_WINDOW_BLOCKS;
  const last = claim.blockNumber + DRAW_WINDOW_BLOCKS;
  return head >= last ? 0n : last - head;
}

/** What goes back to the sender if the waiting share is drawn late: the equal share of what is
 * left among the shares not drawn yet (those unclaimed and the waiting one), less its 1 fen. */
export function lateReturn(p: { remaining: bigint; shares: bigint; claimed: bigint }): bigint {
  const undrawn = p.shares - p.claimed + 1n;
  const equal = p.remaining / undrawn;
  return equal > 1n ? equal - 1n : 0n;
}

export type ClaimsSummary = {
  claims: PacketClaim[];
  total: bigint;
  /** Only for a random packet with at least two claims, all drawn: otherwise nobody is "luckiest". */
  luckiest: PacketClaim | null;
  /** Whether a share is still being drawn. */
  drawing: boolean;
};

export function summariseClaims(claims: readonly PacketClaim[], random: boolean): ClaimsSummary {
  const ordered = [...claims].sort((a, b) => a.index - b.index);
  let total = 0n;
  let luckiest: PacketClaim | null = null;
  let drawing = false;
  for (const claim of ordered) {
    if (claim.pending) {
      drawing = true;
      continue;
    }
    total += claim.amount;
    if (!luckiest || claim.amount > luckiest.amount) luckiest = claim;
  }
  return { claims: ordered, total, luckiest: random && !drawing && ordered.length >= 2 ? luckiest : null, drawing };
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

/** Claims from the logs: every committed share not yet paid (or held) is pending. */
export function mergeClaims(paid: readonly PacketClaim[], committed: readonly PacketClaim[]): PacketClaim[] {
  const drawn = new Set(paid.map((c) => c.index));
  return [...paid, ...committed.filter((c) => !drawn.has(c.index)).map((c) => ({ ...c, amount: 0n, pending: true }))];
}

/** The sender can take the rest back from expiry on, once, if anything is left. */
export function canRefund(p: PacketFacts, now: bigint): boolean {
  return !p.refunded && p.remaining > 0n && now >= p.expiry;
}
