// Fair shares, measured on the local chain (Hardhat's, where every claim is its own block): over
// many 5-share lucky-draw packets, each share index gets the fair mean within a stated tolerance,
// and a grinder who picks its moment (waiting for blocks until its best guess of the draw is big)
// gains nothing measurable, although the same choices would pay it well if the draw were known
// ahead, as it was when shares were drawn from prevrandao. And a claimer who reads her draw one
// block after her claim and lets the 256-block window pass whenever it is small gets 1 fen for
// each share she let go late, never more than the draw she saw (the old equal-share fallback would
// have paid her well above the fair share), and every fen she did not get went back to the sender.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address, encodeAbiParameters, type Hex, keccak256, pad } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { deployCity } from "./fixture.js";

const PACKETS = 160;
const SHARES = 5;
const TOTAL = 1_000n; // 10.00 yuan: a fair share is 200 fen
const FAIR = Number(TOTAL) / SHARES;
const GRINDER_INDEX = 2;
/** Standard errors a mean may stray from the fair share (1 in ~150,000 per check by chance). */
const Z = 4.5;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const standardError = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1) / xs.length);
};

describe("RedPacket: lucky-draw shares on the local chain", () => {
  it("gives every share index the fair mean, and a grinder who picks its moment nothing more", async () => {
    const { publicClient, contracts, walletAt, fund } = await deployCity();
    const { redPacket, cityYuan } = contracts;
    const chainId = await publicClient.getChainId();
    const sender = walletAt(RESIDENTS[0].index);
    const claimers = RESIDENTS.slice(1, 1 + SHARES).map((r) => walletAt(r.index));
    const grinder = claimers[GRINDER_INDEX];
    await fund(sender.account.address, TOTAL * BigInt(PACKETS));
    const wait = async (hash: Promise<Hex>) => {
      const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
      assert.equal(receipt.status, "success");
      return receipt;
    };
    await wait(cityYuan.write.approve([redPacket.address, TOTAL * BigInt(PACKETS)], { account: sender.account }));
    const link = privateKeyToAccount(generatePrivateKey());
    const sign = (packetId: bigint, claimer: Address) =>
      link.signTypedData({
        domain: { name: "Hefei City Red Packet", version: "1", chainId, verifyingContract: redPacket.address },
        types: {
          Claim: [
            { name: "packetId", type: "uint256" },
            { name: "claimer", type: "address" },
          ],
        },
        primaryType: "Claim",
        message: { packetId, claimer },
      });
    // The grinder's best guess of its draw: the double mean from the newest hash it can see.
    const guess = (hash: Hex, packetId: bigint, remaining: bigint, left: bigint) => {
      const span = (2n * remaining) / left - 1n;
      const entropy = BigInt(
        keccak256(
          encodeAbiParameters(
            [{ type: "bytes32" }, { type: "uint256" }, { type: "uint256" }],
            [hash, packetId, BigInt(GRINDER_INDEX)],
          ),
        ),
      );
      return 1n + (entropy % span);
    };

    const byIndex: number[][] = Array.from({ length: SHARES }, () => []);
    const grinderGuesses: number[] = [];
    for (let p = 0; p < PACKETS; p++) {
      const created = await wait(
        redPacket.write.create(
          [
            {
              amount: TOTAL,
              shares: BigInt(SHARES),
              mode: 1,
              audience: 2,
              audienceKey: pad(link.address),
              duration: 0n,
              greeting: "",
            },
          ],
          { account: sender.account },
        ),
      );
      const packetId = await redPacket.read.packetCount();
      assert.ok(created.blockNumber > 0n);
      for (const [index, claimer] of claimers.entries()) {
        if (claimer === grinder) {
          // Wait (up to 5 blocks) for a moment whose guess is above the fair share of what is left.
          for (let tries = 0; tries < 5; tries++) {
            const [view, latest] = await Promise.all([redPacket.read.packet([packetId]), publicClient.getBlock()]);
            // The share before it is still waiting; its draw is known now, so the grinder knows M.
            const [, , waitingBlock] = await redPacket.read.pendingDraw([packetId]);
            const waitingHash = (await publicClient.getBlock({ blockNumber: waitingBlock })).hash as Hex;
            const before = guess(waitingHash, packetId, view.remaining, view.shares - view.claimed + 1n);
            const remaining = view.remaining - before; // approximately what is left for it
            const mine = guess(latest.hash as Hex, packetId, remaining, view.shares - view.claimed);
            if (mine * (view.shares - view.claimed) >= remaining || tries === 4) {
              grinderGuesses.push(Number(mine));
              break;
            }
            await publicClient.request({ method: "evm_mine", params: [] } as never);
          }
        }
        await wait(
          redPacket.write.claimWithSignature([packetId, await sign(packetId, claimer.account.address)], {
            account: claimer.account,
          }),
        );
        assert.equal(index < SHARES, true);
      }
      const paid = await publicClient.getContractEvents({
        address: redPacket.address,
        abi: redPacket.abi,
        eventName: "PacketClaimed",
        args: { packetId },
        fromBlock: created.blockNumber,
      });
      assert.equal(paid.length, SHARES, "every share drawn and paid");
      let sum = 0n;
      for (const log of paid) {
        byIndex[Number(log.args.index)].push(Number(log.args.amount));
        sum += log.args.amount as bigint;
      }
      assert.equal(sum, TOTAL, "shares add up to the total");
    }

    for (const [index, shares] of byIndex.entries()) {
      const m = mean(shares);
      const tolerance = Z * standardError(shares);
      assert.ok(
        Math.abs(m - FAIR) <= tolerance,
        `share #${index}: mean ${m.toFixed(1)} fen, fair ${FAIR}, tolerance ±${tolerance.toFixed(1)}`,
      );
      // A bias of 40 % of a fair share (what waiting for a good index gave before) cannot hide.
      assert.ok(tolerance < FAIR * 0.4, `share #${index}: the test is sharp enough (±${tolerance.toFixed(1)} fen)`);
      process.stdout.write(
        `      share #${index}: mean ${m.toFixed(1)} fen (fair ${FAIR}, ±${tolerance.toFixed(1)})\n`,
      );
    }
    const got = byIndex[GRINDER_INDEX];
    const gain = mean(got) - FAIR;
    assert.ok(
      gain <= Z * standardError(got),
      `the grinder got ${mean(got).toFixed(1)} fen on average against a fair ${FAIR}: a measurable gain`,
    );
    process.stdout.write(
      `      grinder: got ${mean(got).toFixed(1)} fen on average; its guesses promised ${mean(grinderGuesses).toFixed(1)}\n`,
    );
    // Control: had its guesses been the draws (a draw known ahead), the same choices would pay it
    // clearly more than the fair share.
    assert.ok(
      mean(grinderGuesses) > FAIR * 1.25,
      `control: its guesses averaged ${mean(grinderGuesses).toFixed(1)} fen`,
    );
  });

  it("pays a claimer who waits out the 256-block window after a small draw less, never the equal share", async () => {
    const { publicClient, contracts, walletAt, fund } = await deployCity();
    const { redPacket, cityYuan } = contracts;
    const chainId = await publicClient.getChainId();
    const packets = 80;
    const sender = walletAt(RESIDENTS[0].index);
    const waiter = walletAt(RESIDENTS[1].index);
    await fund(sender.account.address, TOTAL * BigInt(packets));
    const wait = async (hash: Promise<Hex>) => {
      const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
      assert.equal(receipt.status, "success");
      return receipt;
    };
    const balance = (account: Address) => cityYuan.read.balanceOf([account]);
    await wait(cityYuan.write.approve([redPacket.address, TOTAL * BigInt(packets)], { account: sender.account }));
    const link = privateKeyToAccount(generatePrivateKey());

    const seen: number[] = [];
    const got: number[] = [];
    let waited = 0;
    for (let p = 0; p < packets; p++) {
      await wait(
        redPacket.write.create(
          [
            {
              amount: TOTAL,
              shares: BigInt(SHARES),
              mode: 1,
              audience: 2,
              audienceKey: pad(link.address),
              duration: 0n,
              greeting: "",
            },
          ],
          { account: sender.account },
        ),
      );
      const packetId = await redPacket.read.packetCount();
      const signature = await link.signTypedData({
        domain: { name: "Hefei City Red Packet", version: "1", chainId, verifyingContract: redPacket.address },
        types: {
          Claim: [
            { name: "packetId", type: "uint256" },
            { name: "claimer", type: "address" },
          ],
        },
        primaryType: "Claim",
        message: { packetId, claimer: waiter.account.address },
      });
      const claim = await wait(redPacket.write.claimWithSignature([packetId, signature], { account: waiter.account }));
      // One block later her draw is public: the double mean from her claim block's hash.
      const hash = (await publicClient.getBlock({ blockNumber: claim.blockNumber })).hash as Hex;
      const entropy = BigInt(
        keccak256(
          encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }, { type: "uint256" }], [hash, packetId, 0n]),
        ),
      );
      const draw = 1n + (entropy % ((2n * TOTAL) / BigInt(SHARES) - 1n));
      const late = draw < BigInt(FAIR);
      if (late) {
        waited++;
        await publicClient.request({ method: "hardhat_mine", params: ["0x101"] } as never);
      }
      const [waiterBefore, senderBefore] = await Promise.all([
        balance(waiter.account.address),
        balance(sender.account.address),
      ]);
      await wait(redPacket.write.settle([packetId], { account: sender.account }));
      const [waiterAfter, senderAfter, view] = await Promise.all([
        balance(waiter.account.address),
        balance(sender.account.address),
        redPacket.read.packet([packetId]),
      ]);
      const paid = waiterAfter - waiterBefore;
      const returned = senderAfter - senderBefore;
      if (late) {
        assert.equal(paid, 1n, "a late share is 1 fen");
        assert.ok(paid <= draw, "never more than the draw she saw");
      } else assert.equal(paid, draw, "in time: the draw she saw");
      assert.equal(paid + returned + view.remaining, TOTAL, "paid + returned + left == total");
      seen.push(Number(draw));
      got.push(Number(paid));
    }
    assert.ok(waited > 0 && waited < packets, `she waited on ${waited} of ${packets} packets`);
    // Under the old fallback each wait paid the equal share, 200 fen, instead of a small draw.
    const oldRule = mean(seen.map((d) => Math.max(d, FAIR)));
    assert.ok(mean(got) < mean(seen), "waiting lowered what she got");
    assert.ok(oldRule > FAIR * 1.1, `control: the old fallback would have paid ${oldRule.toFixed(1)} fen on average`);
    process.stdout.write(
      `      waiter: waited on ${waited}/${packets}; got ${mean(got).toFixed(1)} fen on average, the draws she saw ${mean(seen).toFixed(1)}, the old fallback would have paid ${oldRule.toFixed(1)}\n`,
    );
  });
});
