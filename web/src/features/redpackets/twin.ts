// A red packet created twice: a reload or a second tap after 发红包 must not fund the same packet
// again without the sender meaning to. Before anything is signed, the form looks for a packet the
// sender created a short while ago with the same amount, shares, split, audience and greeting, and
// says when. Pure, so the rule has a test; the logs come from usePackets.
import type { PacketPlan } from "./packetForm";

/** A packet the sender created, as its PacketCreated log and block tell it. */
export type CreatedPacket = {
  packetId: bigint;
  amount: bigint;
  shares: bigint;
  mode: number;
  audience: number;
  greeting: string;
  /** Unix seconds of the block that created it. */
  createdAt: number;
};

/** How far back a same packet counts as "just sent": 30 minutes. */
export const TWIN_WINDOW_SECONDS = 30 * 60;

/** The latest packet created within the window that matches the plan in every visible respect. */
export function findRecentTwin(
  created: readonly CreatedPacket[],
  plan: Pick<PacketPlan, "amount" | "shares" | "greeting"> & { mode: number; audience: number },
  nowSeconds: number,
  windowSeconds = TWIN_WINDOW_SECONDS,
): CreatedPacket | null {
  let twin: CreatedPacket | null = null;
  for (const packet of created) {
    if (nowSeconds - packet.createdAt > windowSeconds) continue;
    const same =
      packet.amount === plan.amount &&
      packet.shares === plan.shares &&
      packet.mode === plan.mode &&
      packet.audience === plan.audience &&
      packet.greeting === plan.greeting;
    if (same && (!twin || packet.createdAt >= twin.createdAt)) twin = packet;
  }
  return twin;
}
