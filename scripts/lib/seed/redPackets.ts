// Red packets: a random group packet shared by link that two friends claim, a 1:1 packet to a
// friend, a packet nobody opened that went back to its sender, and a mistake the escrow must not
// swallow (a transfer straight into it, which the admin gives back).
import { type Address, type Hex, keccak256, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { RESIDENTS, ROLE_HOLDERS } from "../demo-accounts.js";
import type { World } from "./world.js";

const padAddress = (address: Address): Hex => `0x${address.slice(2).toLowerCase().padStart(64, "0")}`;
const [AUNTIE, LI_MING, ZHANG_WEI, CHEN_JING] = [0, 1, 2, 3];

export async function redPacketDays(world: World): Promise<string> {
  const { cityYuan, redPacket } = world;
  const as = (i: number) => world.signer(RESIDENTS[i].index);
  // The link's one-time key: derived from the seed so the demo link is the same every run.
  const linkKey = privateKeyToAccount(keccak256(stringToHex("hefei demo red packet link key")));

  await world.tick(3600);
  await world.mined(cityYuan.write.approve([redPacket.address, 8_888n], as(AUNTIE)), "approve");
  await world.tick(30);
  await world.mined(
    redPacket.write.create(
      [
        {
          amount: 8_888n,
          shares: 3n,
          mode: 1,
          audience: 2,
          audienceKey: padAddress(linkKey.address),
          duration: 0n,
          greeting: "恭喜发财，大吉大利",
        },
      ],
      as(AUNTIE),
    ),
    "create",
  );
  const groupPacket = await redPacket.read.packetCount();
  for (const claimer of [LI_MING, ZHANG_WEI]) {
    const digest = await redPacket.read.claimDigest([groupPacket, world.residentAddress(claimer)]);
    const signature = await linkKey.sign({ hash: digest });
    await world.tick(300);
    await world.mined(redPacket.write.claimWithSignature([groupPacket, signature], as(claimer)), "claimWithSignature");
  }
  // Each random claim only commits its share; the next claim draws the one before. The sender's
  // dApp settles the last waiting share when she looks at the packet.
  await world.tick(60);
  await world.mined(redPacket.write.settle([groupPacket], as(AUNTIE)), "settle");

  await world.tick(600);
  await world.mined(cityYuan.write.approve([redPacket.address, 520n], as(CHEN_JING)), "approve");
  await world.tick(30);
  await world.mined(
    redPacket.write.create(
      [
        {
          amount: 520n,
          shares: 1n,
          mode: 0,
          audience: 0,
          audienceKey: padAddress(world.residentAddress(LI_MING)),
          duration: 0n,
          greeting: "生日快乐",
        },
      ],
      as(CHEN_JING),
    ),
    "create",
  );
  await world.tick(120);
  await world.mined(redPacket.write.claim([await redPacket.read.packetCount()], as(LI_MING)), "claim");

  await world.tick(600);
  await world.mined(cityYuan.write.approve([redPacket.address, 1_000n], as(ZHANG_WEI)), "approve");
  await world.tick(30);
  await world.mined(
    redPacket.write.create(
      [
        {
          amount: 1_000n,
          shares: 2n,
          mode: 0,
          audience: 2,
          audienceKey: padAddress(linkKey.address),
          duration: 3600n,
          greeting: "周末快乐",
        },
      ],
      as(ZHANG_WEI),
    ),
    "create",
  );
  const forgotten = await redPacket.read.packetCount();
  await world.tick(2 * 3600);
  await world.mined(redPacket.write.refundExpired([forgotten], as(CHEN_JING)), "refundExpired");
  return "3 red packets (3 claims, 1 refund)";
}

/**
 * Zhang Wei sends 12.00 straight to the red-packet escrow instead of through 发红包. The admin
 * moves exactly the excess back to her (never a fen of what the live packets owe); the ledger
 * page and `npm run audit` report it as rescued.
 */
export async function escrowRescue(world: World): Promise<void> {
  const { cityYuan, redPacket } = world;
  await world.tick(1800);
  await world.mined(
    cityYuan.write.transfer([redPacket.address, 1_200n], world.signer(RESIDENTS[ZHANG_WEI].index)),
    "transfer",
  );
  await world.tick(3600);
  await world.mined(
    redPacket.write.rescueExcess(
      [world.residentAddress(ZHANG_WEI), await livePacketIds(world)],
      world.signer(ROLE_HOLDERS.admin.index),
    ),
    "rescueExcess",
  );
}

/** Ids of the packets still holding money, in order, as `rescueExcess` wants them. */
async function livePacketIds(world: World): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let id = 1n; id <= (await world.redPacket.read.packetCount()); id++) {
    const p = await world.redPacket.read.packet([id]);
    if (p.remaining > 0n && p.claimed < p.shares && !p.refunded) ids.push(id);
  }
  return ids;
}
