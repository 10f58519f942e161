// The claim page's view of the late rule: how many blocks a waiting 拼手气 share can still be drawn
// in (the contract draws from its claim block's hash while the EVM keeps it: a draw landing in
// block B + 256 is the last in time), and what goes back to the sender if it is drawn late (the
// equal share of what is left among the undrawn shares, less the claimer's 1 fen).
import { describe, expect, it } from "vitest";
import {
  DRAW_WINDOW_BLOCKS,
  drawBlocksLeft,
  lateReturn,
  type PacketClaim,
} from "../../web/src/features/redpackets/claims";

const waiting = (blockNumber?: bigint): PacketClaim => ({
  claimer: "0x0000000000000000000000000000000000000b0b",
  amount: 0n,
  index: 0,
  pending: true,
  blockNumber,
});

describe("drawBlocksLeft", () => {
  it("counts the blocks in which a draw still lands in time", () => {
    // Seen at the claim's own block: the next 256 blocks can all draw it.
    expect(drawBlocksLeft(waiting(100n), 100n)).toBe(256n);
    expect(drawBlocksLeft(waiting(100n), 101n)).toBe(255n);
    // At head B + 255 a draw lands in B + 256, the last block whose hash still includes B's.
    expect(drawBlocksLeft(waiting(100n), 355n)).toBe(1n);
    expect(drawBlocksLeft(waiting(100n), 356n)).toBe(0n);
    expect(drawBlocksLeft(waiting(100n), 10_000n)).toBe(0n);
  });

  it("gives the whole window to a share whose block is not known yet", () => {
    expect(drawBlocksLeft(waiting(), 5_000n)).toBe(DRAW_WINDOW_BLOCKS);
  });
});

describe("lateReturn", () => {
  it("is the equal share of the undrawn shares less 1 fen, as the contract sends back", () => {
    // 200.00 yuan in 4 shares, bob's the only claim (waiting): 20,000 / 4 - 1.
    expect(lateReturn({ remaining: 20_000n, shares: 4n, claimed: 1n })).toBe(4_999n);
    // 1,000 fen left, 2 of 4 shares claimed (one drawn, one waiting): 1,000 / 3 - 1.
    expect(lateReturn({ remaining: 1_000n, shares: 4n, claimed: 2n })).toBe(332n);
  });

  it("is nothing when the equal share is the claimer's 1 fen", () => {
    expect(lateReturn({ remaining: 3n, shares: 3n, claimed: 1n })).toBe(0n);
  });
});
