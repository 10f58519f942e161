// History for 亲属卡 and 转账延时到账: a card payment from the funder's account says whose card
// paid; a delayed transfer is one movement out when sent (not a transfer to the escrow), money
// back when taken back, and money in for the receiver only when it arrives.
import type { Address, Hex } from "viem";
import { describe, expect, it } from "vitest";
import { assembleEntries, type ChainLog } from "../../core/history/assemble";
import { historyFilters } from "../../core/history/readLogs";

const ME = "0x1111111111111111111111111111111111111111" as Address;
const MOTHER = "0x2222222222222222222222222222222222222222" as Address;
const SHOP = "0x3333333333333333333333333333333333333333" as Address;
const STRANGER = "0x4444444444444444444444444444444444444444" as Address;
const contracts = {
  cityYuan: "0xc17c17c17c17c17c17c17c17c17c17c17c17c17c" as Address,
  redPacket: "0xed0ed0ed0ed0ed0ed0ed0ed0ed0ed0ed0ed0ed0e" as Address,
  vouchers: "0xf0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0" as Address,
  familyCards: "0xfa0fa0fa0fa0fa0fa0fa0fa0fa0fa0fa0fa0fa0f" as Address,
  delayedTransfers: "0xde1de1de1de1de1de1de1de1de1de1de1de1de1d" as Address,
};
const REF = "0x4f524445522d3130323400000000000000000000000000000000000000000000" as Hex;
const PID = `0x${"ab".repeat(32)}` as Hex;
const T = 1_800_000_000;

let counter = 0;
function tx(block: number) {
  const hash = `0x${(++counter).toString(16).padStart(64, "0")}` as Hex;
  let index = 0;
  const log = (address: Address, eventName: string, args: Record<string, unknown>): ChainLog => ({
    address,
    blockNumber: BigInt(block),
    logIndex: index++,
    transactionHash: hash,
    blockTimestamp: T + block,
    eventName,
    args,
  });
  return { hash, log };
}
const transfer = (t: ReturnType<typeof tx>, from: Address, to: Address, value: bigint) =>
  t.log(contracts.cityYuan, "Transfer", { from, to, value });

function cardPayment(block: number) {
  const t = tx(block);
  return [
    // CityYuan records the card's payment as the funder's but emits no PaymentMade for it.
    transfer(t, ME, SHOP, 1500n),
    t.log(contracts.familyCards, "FamilyCardPaid", {
      paymentId: PID,
      cardId: 7n,
      funder: ME,
      shop: SHOP,
      holder: MOTHER,
      amount: 1500n,
      orderRef: REF,
    }),
  ];
}

describe("亲属卡 in the funder's history", () => {
  it("is one payment to the shop from his account (not a transfer too), saying whose card paid", () => {
    const entries = assembleEntries(cardPayment(10), ME, contracts);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: "payment",
      direction: "out",
      amount: 1500n,
      counterparty: SHOP,
      orderRef: REF,
      paymentId: PID,
      familyCard: { cardId: 7n, holder: MOTHER },
    });
  });

  it("adds nothing to the holder's own history (her money did not move)", () => {
    expect(assembleEntries(cardPayment(11), MOTHER, contracts)).toEqual([]);
  });

  it("is a payment received for the shop, from the funder's account", () => {
    expect(assembleEntries(cardPayment(12), SHOP, contracts)).toEqual([
      expect.objectContaining({ kind: "payment", direction: "in", amount: 1500n, counterparty: ME, orderRef: REF }),
    ]);
  });

  it("without the card contract known, stays a plain transfer (nothing lost, nothing counted twice)", () => {
    const { familyCards: _, ...older } = contracts;
    const entries = assembleEntries(cardPayment(13), ME, older);
    expect(entries.map((e) => [e.kind, e.amount, e.familyCard])).toEqual([["transfer", 1500n, undefined]]);
  });
});

describe("转账延时到账 in history", () => {
  const send = (block: number, sender: Address, receiver: Address) => {
    const t = tx(block);
    return [
      transfer(t, sender, contracts.delayedTransfers, 800n),
      t.log(contracts.delayedTransfers, "TransferDelayed", {
        transferId: 3n,
        sender,
        receiver,
        amount: 800n,
        releaseAt: BigInt(T + 7200),
      }),
    ];
  };

  it("sent: one movement out to the receiver (not to the escrow), with when it arrives", () => {
    const entries = assembleEntries(send(20, ME, STRANGER), ME, contracts);
    expect(entries).toEqual([
      expect.objectContaining({
        kind: "transfer",
        direction: "out",
        amount: 800n,
        counterparty: STRANGER,
        delayed: { transferId: 3n, state: "sent", releaseAt: T + 7200 },
      }),
    ]);
  });

  it("taken back: the money is back in, named as taken back; the receiver sees nothing", () => {
    const t = tx(21);
    const logs = [
      ...send(20, ME, STRANGER),
      transfer(t, contracts.delayedTransfers, ME, 800n),
      t.log(contracts.delayedTransfers, "TransferCancelled", {
        transferId: 3n,
        sender: ME,
        receiver: STRANGER,
        amount: 800n,
      }),
    ];
    const mine = assembleEntries(logs, ME, contracts);
    expect(mine.map((e) => [e.direction, e.amount, e.delayed?.state])).toEqual([
      ["in", 800n, "cancelled"],
      ["out", 800n, "sent"],
    ]);
    expect(assembleEntries(logs, STRANGER, contracts)).toEqual([]);
  });

  it("released: money in for the receiver from the sender, once; nothing more for the sender", () => {
    const t = tx(30);
    const logs = [
      ...send(20, MOTHER, ME),
      transfer(t, contracts.delayedTransfers, ME, 800n),
      t.log(contracts.delayedTransfers, "TransferReleased", {
        transferId: 3n,
        sender: MOTHER,
        receiver: ME,
        amount: 800n,
        releasedBy: ME,
      }),
    ];
    expect(assembleEntries(logs, ME, contracts)).toEqual([
      expect.objectContaining({
        kind: "transfer",
        direction: "in",
        amount: 800n,
        counterparty: MOTHER,
        delayed: { transferId: 3n, state: "released" },
      }),
    ]);
    expect(assembleEntries(logs, MOTHER, contracts).map((e) => e.delayed?.state)).toEqual(["sent"]);
  });

  it("asks the node for the escrow's and the cards' logs naming the account", () => {
    const filters = historyFilters(ME, contracts, 0n, 10n);
    const addresses = filters.flatMap((f) => f.address);
    expect(addresses).toContain(contracts.delayedTransfers);
    expect(addresses).toContain(contracts.familyCards);
  });
});
